import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createStoreReader, createStoreWriter, type StoredBar } from '../../pipeline/store/index.ts';
import { loadBinanceSpotTrades } from '../../pipeline/store/testing/recorded-trades.ts';
import { tempStore, toBarRows } from '../../pipeline/store/testing/temp-store.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');
const logger = createLogger({ name: 'test', level: 'silent' });
const store = tempStore();
let reference5m: StoredBar[] = [];

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--data-dir', store.dir]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // The real BTCUSDT trades, and their 1m bars computed by DuckDB straight from the stored trades.
  const writer = await createStoreWriter({ logger }, store.config);
  await writer.appendTrades(loadBinanceSpotTrades());
  await writer.flush();
  const reader = await createStoreReader({}, store.config);
  const ref = { venue: 'BINANCE', symbol: 'BTCUSDT' };
  await writer.appendBars(
    toBarRows('BINANCE', 'BTCUSDT', await reader.barsFromTrades({ ...ref, period: '1m' })),
  );
  await writer.flush();
  reference5m = await reader.barsFromTrades({ ...ref, period: '5m' });
  reader.close();
  await writer.close();
}, 60_000);
afterAll(() => store.cleanup());

describe('quantforge bars / trades / gaps', () => {
  it('prints 5m bars aggregated from stored 1m bars, equal to 5m bars built from the trades', async () => {
    const { code, stdout } = await cli('bars', '--venue', 'BINANCE', '--symbol', 'BTCUSDT', '--period', '5m');
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header).toBe('open_time,open,high,low,close,volume,taker_buy_volume,trade_count,quote_volume');
    expect(rows.length).toBe(reference5m.length);
    expect(rows).toEqual(
      reference5m.map((b) =>
        [
          b.openTimeUs / 1000,
          b.open,
          b.high,
          b.low,
          b.close,
          b.volume,
          b.takerBuyVolume,
          b.tradeCount,
          b.quoteVolume,
        ].join(','),
      ),
    );
  });

  it('rejects an unknown period naming the flag and the valid list', async () => {
    const { code, stderr } = await cli('bars', '--venue', 'BINANCE', '--symbol', 'BTCUSDT', '--period', '7m');
    expect(code).toBe(2);
    expect(stderr).toContain('--period: expected one of 1m, 3m, 5m');
  });

  it('prints trades by seq range', async () => {
    const { code, stdout } = await cli(
      'trades',
      '--venue',
      'BINANCE',
      '--symbol',
      'BTCUSDT',
      '--from-seq',
      '10',
      '--to-seq',
      '12',
    );
    expect(code).toBe(0);
    const trades = loadBinanceSpotTrades().slice(9, 12);
    expect(
      stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    ).toEqual(trades.map((t) => t.tradeId));
  });

  it('reports full coverage of the contiguous recording', async () => {
    const { code, stdout } = await cli('gaps', '--venue', 'BINANCE', '--symbol', 'BTCUSDT');
    expect(code).toBe(0);
    expect(stdout).toMatch(/1m bars: (\d+) of \1 present, 0 missing/);
    expect(stdout).toContain('19904 rows, seq 1..19904, 0 venue trade id(s) missing, 0 seq hole(s)');
  });
});
