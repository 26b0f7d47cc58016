/**
 * `quantforge ingest` keeps one trade source per symbol: after the real BTCUSDT trades are
 * ingested, an aggTrades file of the same symbol is refused with exit code 2 and a message
 * that says why and what to do, and the stored bars do not change.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBinanceSpotTrades } from '../../pipeline/store/testing/recorded-trades.ts';
import { recordedData } from '../../test/support/index.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');
const TRADES_CSV = recordedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz');
const dir = mkdtempSync(join(tmpdir(), 'qf-ingest-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'store')]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('quantforge ingest: trade sources and Kafka reachability', () => {
  it('refuses aggTrades for a symbol stored from plain trades, leaving its bars as they were', {
    timeout: 120_000,
  }, async () => {
    const first = await cli('ingest', '--venue', 'BINANCE', '--replay', TRADES_CSV, '--symbol', 'BTCUSDT');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/trades stored: 19904/);
    const bars = () => cli('bars', '--venue', 'BINANCE', '--symbol', 'BTCUSDT', '--period', '1m');
    const before = await bars();
    expect(before.stdout.trim().split('\n').length).toBeGreaterThan(5);

    // An aggTrades file of the same symbol (data.binance.vision columns), made from the first
    // 500 real trades with aggregate ids of their own.
    const rows = loadBinanceSpotTrades()
      .slice(0, 500)
      .map((t, i) =>
        [
          900_000_000 + i,
          t.price,
          t.quantity,
          t.tradeId,
          t.tradeId,
          t.timeUs / 1000,
          t.aggressor === 2 ? 'True' : 'False',
          'True',
        ].join(','),
      );
    const aggFile = join(dir, 'BTCUSDT-aggTrades-2024-08-08.csv');
    writeFileSync(aggFile, `${rows.join('\n')}\n`);
    const second = await cli(
      'ingest',
      '--venue',
      'BINANCE',
      '--replay',
      aggFile,
      '--format',
      'binance-aggtrades-csv',
      '--symbol',
      'BTCUSDT',
    );
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/--replay: \d+ trades and bars from this file were not stored/);
    expect(second.stderr).toMatch(/another --data-dir/);
    expect(second.stdout).toMatch(/trades stored: 0/);
    expect((await bars()).stdout).toBe(before.stdout);
  });

  it('names the brokers and how to start one when Kafka does not answer', async () => {
    const { code, stderr } = await run(
      process.execPath,
      [
        BIN,
        'ingest',
        '--venue',
        'BINANCE',
        '--replay',
        TRADES_CSV,
        '--symbol',
        'BTCUSDT',
        '--bus',
        'kafka',
        '--data-dir',
        join(dir, 'k'),
      ],
      { env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot reach Kafka at 127\.0\.0\.1:1 .*npm run kafka:start/);
  });
});
