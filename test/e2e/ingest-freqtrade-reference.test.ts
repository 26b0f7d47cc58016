/**
 * `quantforge ingest` of the real XRP/ETH aggTrades, then `quantforge bars`: our 1m and 5m bars
 * equal the candles freqtrade built from the very same aggTrades (PROVENANCE note 4: an
 * independent trades→candles reference on an illiquid day with 413 empty minutes).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, recordedData } from '../support/index.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'qf-xrp-'));
const quantforge = (...args: string[]) =>
  run(process.execPath, [join(REPO_ROOT, 'bin/quantforge.mjs'), ...args, '--data-dir', dir]);

beforeAll(async () => {
  const { stdout } = await quantforge(
    'ingest',
    '--venue',
    'BINANCE',
    '--replay',
    recordedData('trades', 'binance-spot-XRPETH-aggTrades-2019-10-11.csv'),
    '--format',
    'binance-aggtrades-csv',
    '--symbol',
    'XRPETH',
  );
  expect(stdout).toContain('trades stored: 5929');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows of open_time,open,high,low,close,volume as numbers (freqtrade prints float64s). */
function numericRows(csv: string): number[][] {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, 6).map(Number));
}

describe.each(['1m', '5m'] as const)('XRP/ETH %s bars', (period) => {
  it('equal freqtrade candles built from the same aggTrades', async () => {
    const reference = numericRows(
      readFileSync(recordedData('candles', `freqtrade-XRP_ETH-${period}-from-trades-2019-10-11.csv`), 'utf8'),
    );
    const { stdout } = await quantforge(
      'bars',
      '--venue',
      'BINANCE',
      '--symbol',
      'XRPETH',
      '--period',
      period,
    );
    const ours = numericRows(stdout);
    // Both omit empty buckets; every OHLCV value equal as float64.
    expect(ours.length).toBe(reference.length);
    expect(ours).toEqual(reference);
  }, 60_000);
});
