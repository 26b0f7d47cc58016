/**
 * Quick store measurements (not a test): write throughput of trades, p50 of "last 1000 1m bars",
 * and "a year of 1m bars as 1h" against DuckDB querying the same Parquet files directly.
 *
 * Usage: node --import tsx pipeline/store/scripts/measure.ts [dataDir]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseStoreConfig } from '../config.ts';
import { createStoreReader, createStoreWriter } from '../index.ts';
import { BAR_OUTPUT_SQL, barsFromBarsSql } from '../sql/bar-sql.ts';
import { loadBinanceSpotTrades } from '../testing/recorded-trades.ts';
import type { BarRow, TradeRow } from '../types.ts';

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'qf-store-measure-'));
const config = parseStoreConfig({ dataDir: dir, flush: { intervalMs: 0, maxRows: 10_000_000 } });
const DAY_US = 86_400_000_000;
const MIN_US = 60_000_000;

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** p50 wall ms; also prints mean CPU ms per call (the machine is shared, so wall time includes waiting). */
async function timeIt(n: number, f: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  console.log(`  (mean CPU ${((c.user + c.system) / 1000 / n).toFixed(2)} ms per call)`);
  return p50(xs);
}

const writer = await createStoreWriter({}, config);
// 1. Trades: 1M real BTCUSDT trades (cycled a day apart), flushed every 200k.
const source = loadBinanceSpotTrades();
const N = 1_000_000;
let t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let base = 0; base < N; base += 200_000) {
  const rows: TradeRow[] = new Array(200_000);
  for (let k = 0; k < 200_000; k++) {
    const n = base + k;
    const t = source[n % source.length]!;
    rows[k] = { ...t, seq: n + 1, timeUs: t.timeUs + Math.floor(n / source.length) * DAY_US };
  }
  await writer.appendTrades(rows);
  await writer.flush();
}
const tradeSecs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
console.log(
  `write trades: ${N} in ${tradeSecs.toFixed(2)} s wall = ${Math.round(N / tradeSecs)} trades/s; ` +
    `${cpuSecs.toFixed(2)} CPU-s = ${Math.round(N / cpuSecs)} trades per CPU-second (incl. building the rows)`,
);

// 2. A year of 1m bars (random walk with 2-decimal prices), one file per day.
const start = Date.UTC(2023, 0, 1) * 1000;
let price = 2_000_000; // cents
t0 = performance.now();
for (let month = 0; month < 12; month++) {
  const rows: BarRow[] = [];
  for (let m = 0; m < 43_800; m++) {
    const open = start + (month * 43_800 + m) * MIN_US;
    const o = price;
    price += Math.round((Math.random() - 0.5) * 200);
    const c = price;
    const h = Math.max(o, c) + 10;
    const l = Math.min(o, c) - 10;
    const s = (x: number) => `${Math.floor(x / 100)}.${String(x % 100).padStart(2, '0')}`;
    rows.push({
      venue: 'BINANCE',
      symbol: 'SYNTH',
      period: '1m',
      openTimeUs: open,
      open: s(o),
      high: s(h),
      low: s(l),
      close: s(c),
      volume: '12.34567',
      takerBuyVolume: '6.1',
      makerVolume: '6.24567',
      quoteVolume: '250000.123',
      takerBuyQuoteVolume: '125000.1',
      tradeCount: 100,
      final: true,
    });
  }
  await writer.appendBars(rows);
  await writer.flush();
}
console.log(`write 525,600 1m bars: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
await writer.close();

// 3. Queries.
// Cache off: every call runs DuckDB (the cached figure is printed separately below).
const reader = await createStoreReader({}, parseStoreConfig({ ...config, query: { resultCacheRows: 0 } }));
const S = { venue: 'BINANCE', symbol: 'SYNTH' };
await reader.getBars({ ...S, period: '1m', limit: 1000 });
console.log(
  `last 1000 1m bars p50: ${(await timeIt(200, () => reader.getBars({ ...S, period: '1m', limit: 1000 }))).toFixed(2)} ms`,
);
const cached = await createStoreReader({}, config);
const warm = await timeIt(200, () => cached.getBars({ ...S, period: '1m', limit: 1000 }));
console.log(`last 1000 1m bars p50, result cache on: ${warm.toFixed(3)} ms`);
cached.close();
console.log(
  `latest bar p50: ${(await timeIt(200, () => reader.latestBar({ ...S, period: '1m' }))).toFixed(2)} ms`,
);
const yearTo = start + 365 * DAY_US;
const tradesRange = await timeIt(20, () =>
  reader.getTrades({ venue: 'BINANCE', symbol: 'BTCUSDT', fromSeq: 500_000, toSeq: 501_000 }),
);
console.log(`1000 trades by seq p50: ${tradesRange.toFixed(2)} ms`);
console.log(
  `seq->time p50: ${(await timeIt(50, () => reader.seqToTime({ venue: 'BINANCE', symbol: 'BTCUSDT', seq: 777_777 }))).toFixed(2)} ms`,
);

const duck = await DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await duck.connect();
const glob = join(dir, 'bars_1m/venue=BINANCE/symbol=SYNTH/*/*.parquet');
const direct = `WITH src AS (SELECT * FROM read_parquet('${glob}') WHERE open_time_us >= ${start} AND open_time_us < ${yearTo}),
  bars AS (${barsFromBarsSql('1h')}) SELECT ${BAR_OUTPUT_SQL} FROM bars ORDER BY open_time_us`;
await conn.runAndReadAll(direct);
// Interleaved, so both see the same machine load.
const ours: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < 10; i++) {
  let t = performance.now();
  await reader.getBars({ ...S, period: '1h', fromUs: start, toUs: yearTo });
  ours.push(performance.now() - t);
  t = performance.now();
  (await conn.runAndReadAll(direct)).getColumns();
  baseline.push(performance.now() - t);
}
console.log(
  `year of 1m as 1h p50: store ${p50(ours).toFixed(1)} ms, direct DuckDB ${p50(baseline).toFixed(1)} ms, ratio ${(p50(ours) / p50(baseline)).toFixed(2)}`,
);
reader.close();
if (process.argv[2] === undefined) rmSync(dir, { recursive: true, force: true });
