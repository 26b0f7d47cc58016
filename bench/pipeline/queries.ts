/**
 * Store query latency: a year of 1m bars (525,600) written through the store writer, derived
 * from the real BTC/USDT 5m candles (freqtrade, 2023-01-02 … 02-09) played forwards then
 * backwards in turn so the price stays in its real range; then "last 1000 1m bars" and "a year
 * of 1m as 1h" through the store reader beside DuckDB reading the same Parquet files with the
 * same SQL shape, interleaved so both see the same machine load.
 *
 * The reader's whole-result cache is off. "Last 1000" is measured twice: steady (same files between
 * calls; the reader's per-file row cache holds what it decoded before, files being immutable), and
 * live: before each measured pair a writer commits the next minute's bar (a new Parquet file), so
 * every answer includes a bar no earlier answer had: inside the measured call the store reads the
 * new catalog (a series-manifest delta) and takes the new bar from the rows the catalog inlines for
 * small files (no DuckDB decode). Store and direct answers are checked equal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { Logger } from '../../core/logger.ts';
import { parseStoreConfig } from '../../pipeline/store/config.ts';
import {
  type BarRow,
  createStoreReader,
  createStoreWriter,
  type StoredBar,
} from '../../pipeline/store/index.ts';
import { dateOfUs } from '../../pipeline/store/layout.ts';
import { BAR_OUTPUT_SQL, barsFromBarsSql } from '../../pipeline/store/sql/bar-sql.ts';
import { recordedData } from '../../test/support/index.ts';

const MINUTE_US = 60_000_000;
export const YEAR_MINUTES = 525_600;
const S = { venue: 'BINANCE', symbol: 'BTCUSDT' } as const;

interface Candle {
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

function loadCandles(): Candle[] {
  const text = readFileSync(recordedData('candles', 'freqtrade-BTC_USDT-5m-20230102-20230209.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [, o, h, l, c, v] = line.split(',').map(Number);
      return { o: o!, h: h!, l: l!, c: c!, v: v! };
    });
}

const cents = (x: number) => (Math.round(x * 100) / 100).toFixed(2);
const qty = (x: number) => x.toFixed(5);

/**
 * Five 1m bars per 5m candle: the price walks open → low → mid → high → (high+close)/2 → close
 * on a rising candle (high first on a falling one), so each 5m bar of the result has the
 * candle's open, high, low and close; the candle's volume is split 15/20/30/20/15 %.
 */
export function yearOfBars(startUs: number): BarRow[] {
  const base = loadCandles();
  const rows: BarRow[] = [];
  const weights = [0.15, 0.2, 0.3, 0.2, 0.15];
  for (let rep = 0; rows.length < YEAR_MINUTES; rep++) {
    // Odd copies run backwards in time (each candle reversed), so copies join up at the same price.
    const seq = rep % 2 === 0 ? base : [...base].reverse().map((k) => ({ ...k, o: k.c, c: k.o }));
    for (const k of seq) {
      const up = k.c >= k.o;
      const path = up
        ? [k.o, k.l, (k.l + k.h) / 2, k.h, (k.h + k.c) / 2, k.c]
        : [k.o, k.h, (k.l + k.h) / 2, k.l, (k.l + k.c) / 2, k.c];
      for (let m = 0; m < 5 && rows.length < YEAR_MINUTES; m++) {
        const open = path[m]!;
        const close = path[m + 1]!;
        const volume = k.v * weights[m]!;
        const takerBuy = volume * (up ? 0.55 : 0.45);
        const vwap = (open + close) / 2;
        rows.push({
          ...S,
          period: '1m',
          openTimeUs: startUs + rows.length * MINUTE_US,
          open: cents(open),
          high: cents(Math.max(open, close)),
          low: cents(Math.min(open, close)),
          close: cents(close),
          volume: qty(volume),
          takerBuyVolume: qty(takerBuy),
          makerVolume: qty(volume - takerBuy),
          quoteVolume: (volume * vwap).toFixed(6),
          takerBuyQuoteVolume: (takerBuy * vwap).toFixed(6),
          tradeCount: Math.max(1, Math.round(volume * 40)),
          final: true,
        });
      }
    }
  }
  return rows;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
}

export interface QueryFigures {
  readonly writeSeconds: number;
  /** No commit between calls. */
  readonly last1000: { store: Latency; direct: Latency };
  /** A new bar committed before each measured pair. */
  readonly last1000Live: { store: Latency; direct: Latency };
  readonly yearAs1h: { store: Latency; direct: Latency };
  readonly files: number;
  /** What the reader may reuse between measured calls. */
  readonly cached: string;
}

function pct(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const latency = (xs: readonly number[]): Latency => ({ p50: pct(xs, 0.5), p99: pct(xs, 0.99) });

/**
 * Interleaves `a` and `b` `n` times (after one warm-up call each, and `before` each pair,
 * untimed); wall ms per call.
 */
async function interleaved(
  n: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  before: () => Promise<void> = async () => {},
) {
  await a();
  await b();
  const xa: number[] = [];
  const xb: number[] = [];
  for (let i = 0; i < n; i++) {
    await before();
    let t = performance.now();
    await a();
    xa.push(performance.now() - t);
    t = performance.now();
    await b();
    xb.push(performance.now() - t);
  }
  return { a: latency(xa), b: latency(xb) };
}

/** Writes the year into `dir` and measures both queries; `rounds` scales the sample counts. */
export async function runQueries(
  logger: Logger,
  dir: string,
  rounds = { last: 100, year: 10 },
): Promise<QueryFigures> {
  const startUs = Date.UTC(2023, 0, 2) * 1000;
  const endUs = startUs + YEAR_MINUTES * MINUTE_US;
  const config = parseStoreConfig({ dataDir: dir, flush: { intervalMs: 0, maxRows: 10_000_000 } });
  const rows = yearOfBars(startUs);
  const t0 = performance.now();
  const writer = await createStoreWriter({ logger }, config);
  const MONTH = 43_800;
  for (let i = 0; i < rows.length; i += MONTH) {
    await writer.appendBars(rows.slice(i, i + MONTH));
    await writer.flush();
  }
  await writer.close();
  const writeSeconds = (performance.now() - t0) / 1000;

  // Result cache off: every call runs DuckDB, like the direct query it is compared with.
  const reader = await createStoreReader(
    { logger },
    parseStoreConfig({ ...config, query: { resultCacheRows: 0 } }),
  );
  const duck = await DuckDBInstance.create(':memory:', { threads: String(config.duckdb.threads) });
  const conn = await duck.connect();
  const glob = join(dir, 'bars_1m', `venue=${S.venue}`, `symbol=${S.symbol}`, '**', '*.parquet');
  const files = (await conn.runAndReadAll(`SELECT count(*) FROM glob('${glob}')`)).getRows()[0]![0];
  const src = `SELECT * FROM read_parquet('${glob}') WHERE open_time_us >= ${startUs} AND open_time_us < ${endUs}`;
  // The last 1000 minutes lie in the last two (or three) date partitions: a person querying the
  // Parquet files directly would read just those (the store picks its files from the catalog likewise).
  const series = join(dir, 'bars_1m', `venue=${S.venue}`, `symbol=${S.symbol}`);
  const lastSql = (newestUs: number) => {
    const dates = new Set([
      dateOfUs(newestUs - 999 * MINUTE_US),
      dateOfUs(newestUs - 500 * MINUTE_US),
      dateOfUs(newestUs),
    ]);
    const globs = [...dates].map((d) => `'${join(series, `date=${d}`, '*.parquet')}'`);
    return `WITH src AS (SELECT * FROM read_parquet([${globs.join(', ')}]) WHERE open_time_us >= 0 AND open_time_us < ${Number.MAX_SAFE_INTEGER})
    SELECT ${BAR_OUTPUT_SQL} FROM src ORDER BY open_time_us DESC LIMIT 1000`;
  };
  const yearSql = `WITH src AS (${src}), bars AS (${barsFromBarsSql('1h')})
    SELECT ${BAR_OUTPUT_SQL} FROM bars ORDER BY open_time_us`;
  try {
    const check = await reader.getBars({ ...S, period: '1h', fromUs: startUs, toUs: endUs });
    const direct = (await conn.runAndReadAll(yearSql)).getRows();
    if (check.length !== direct.length || check.length !== YEAR_MINUTES / 60)
      throw new Error(`bench: store gave ${check.length} 1h bars, DuckDB ${direct.length}`);
    const year = await interleaved(
      rounds.year,
      () => reader.getBars({ ...S, period: '1h', fromUs: startUs, toUs: endUs }),
      async () => (await conn.runAndReadAll(yearSql)).getColumns(),
    );
    let newest = endUs - MINUTE_US;
    let storeLast: StoredBar[] = [];
    let directLast: DuckDBValue[][] = [];
    const lastPair = (before?: () => Promise<void>) =>
      interleaved(
        rounds.last,
        async () => {
          storeLast = await reader.getBars({ ...S, period: '1m', limit: 1000 });
        },
        async () => {
          directLast = (await conn.runAndReadAll(lastSql(newest))).getColumns();
        },
        before,
      );
    const checkLast = () => {
      const opens = directLast[0] ?? [];
      const same = storeLast.length === 1000 && storeLast.every((b, i) => b.openTimeUs === opens[999 - i]);
      if (!same || opens[0] !== newest)
        throw new Error(
          `bench: last 1000 differ or are stale (store ends ${storeLast.at(-1)?.openTimeUs}, direct ${opens[0]}, newest ${newest})`,
        );
    };
    // Steady: the same files between calls.
    const steady = await lastPair();
    checkLast();
    // Live: the next minute's bar is committed (a new file) before each measured pair.
    const live = await createStoreWriter({ logger }, config);
    const template = rows.at(-1)!;
    let liveFigures: { a: Latency; b: Latency };
    try {
      liveFigures = await lastPair(async () => {
        newest += MINUTE_US;
        await live.appendBars([{ ...template, openTimeUs: newest }]);
        await live.flush();
      });
      checkLast();
    } finally {
      await live.close();
    }
    return {
      writeSeconds,
      last1000: { store: steady.a, direct: steady.b },
      last1000Live: { store: liveFigures.a, direct: liveFigures.b },
      yearAs1h: { store: year.a, direct: year.b },
      files: Number(files),
      cached:
        'reader result cache off; the reader keeps decoded rows per Parquet file (files are immutable); "live": a new 1m bar is committed (one more file) before each measured pair: the store reads the new catalog (a manifest delta) and the new bar from the rows the catalog inlines for small files, DuckDB direct reads the new file',
    };
  } finally {
    conn.closeSync();
    reader.close();
  }
}
