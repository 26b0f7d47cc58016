import type { AggTradeRow } from '../data/trades.ts';
import { formatScaled, scaleOf, toScaled } from '../decimal.ts';

/**
 * A Binance kline row: [openTime, open, high, low, close, volume, closeTime, quoteVolume,
 * trades, takerBuyBaseVolume, takerBuyQuoteVolume, ignore].
 */
export type KlineRow = [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
];

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/** Fixed interval lengths in ms; `1M` (calendar month) is handled apart. */
const FIXED: Readonly<Record<string, number>> = {
  '1s': 1000,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '8h': 480 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
};

/** Binance's kline intervals (spot; futures lack `1s`). */
export const KLINE_INTERVALS: readonly string[] = [...Object.keys(FIXED), '1M'];

/** Weeks start on Monday 00:00 UTC; the epoch was a Thursday. */
const WEEK_OFFSET = 4 * DAY;

/** The open time of the bar holding `t` (ms), and the open time of the next bar. */
export function bucketOf(t: number, interval: string): { open: number; next: number } {
  if (interval === '1M') {
    const d = new Date(t);
    const open = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    return { open, next: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
  }
  const len = FIXED[interval];
  if (len === undefined) throw new RangeError(`unknown interval ${interval}`);
  const offset = interval === '1w' ? WEEK_OFFSET : 0;
  const open = Math.floor((t - offset) / len) * len + offset;
  return { open, next: open + len };
}

interface Acc {
  open: string;
  high: string;
  highV: bigint;
  low: string;
  lowV: bigint;
  close: string;
  volume: bigint;
  quote: bigint;
  takerVolume: bigint;
  takerQuote: bigint;
  count: number;
}

/** Options of {@link buildKlines}: printing scales, as the venue prints each symbol. */
export interface KlineFormat {
  /** Decimals of volumes (default: the largest quantity scale seen). */
  readonly volumeScale?: number;
  /** Decimals of quote volumes (default 8, as Binance spot prints them). */
  readonly quoteScale?: number;
}

/**
 * Builds every kline from the first to the last aggregate trade (pure). Bars with no trade
 * in between repeat the previous close with zero volume, as Binance serves them.
 * Volumes are exact sums; quote volume is Σ price×qty rounded half-up to `quoteScale`.
 */
export function buildKlines(
  rows: readonly AggTradeRow[],
  interval: string,
  format: KlineFormat = {},
): KlineRow[] {
  if (rows.length === 0) return [];
  let pScale = 0;
  let qScale = 0;
  for (const r of rows) {
    pScale = Math.max(pScale, scaleOf(r.p));
    qScale = Math.max(qScale, scaleOf(r.q));
  }
  const volumeScale = format.volumeScale ?? qScale;
  const quoteScale = format.quoteScale ?? 8;
  const out: KlineRow[] = [];
  let bucket = bucketOf(rows[0]!.T, interval);
  let acc: Acc | null = null;
  const flush = (): void => {
    if (acc === null) return;
    out.push([
      bucket.open,
      acc.open,
      acc.high,
      acc.low,
      acc.close,
      formatScaled(acc.volume, qScale, volumeScale),
      bucket.next - 1,
      formatScaled(acc.quote, pScale + qScale, quoteScale),
      acc.count,
      formatScaled(acc.takerVolume, qScale, volumeScale),
      formatScaled(acc.takerQuote, pScale + qScale, quoteScale),
      '0',
    ]);
  };
  for (const r of rows) {
    if (r.T >= bucket.next) {
      flush();
      const close: string = acc === null ? r.p : acc.close;
      bucket = bucketOf(bucket.next, interval);
      // Empty bars between two trades: flat at the previous close, zero volume.
      while (r.T >= bucket.next) {
        const zeroV = formatScaled(0n, qScale, volumeScale);
        const zeroQ = formatScaled(0n, 0, quoteScale);
        out.push([
          bucket.open,
          close,
          close,
          close,
          close,
          zeroV,
          bucket.next - 1,
          zeroQ,
          0,
          zeroV,
          zeroQ,
          '0',
        ]);
        bucket = bucketOf(bucket.next, interval);
      }
      acc = null;
    }
    const p = toScaled(r.p, pScale);
    const q = toScaled(r.q, qScale);
    const pq = p * q;
    if (acc === null) {
      acc = {
        open: r.p,
        high: r.p,
        highV: p,
        low: r.p,
        lowV: p,
        close: r.p,
        volume: 0n,
        quote: 0n,
        takerVolume: 0n,
        takerQuote: 0n,
        count: 0,
      };
    }
    if (p > acc.highV) {
      acc.high = r.p;
      acc.highV = p;
    }
    if (p < acc.lowV) {
      acc.low = r.p;
      acc.lowV = p;
    }
    acc.close = r.p;
    acc.volume += q;
    acc.quote += pq;
    if (!r.m) {
      acc.takerVolume += q;
      acc.takerQuote += pq;
    }
    acc.count += r.l - r.f + 1;
  }
  flush();
  return out;
}

/**
 * Selects bars the way `/api/v3/klines` does: open time within [startTime, endTime]; with a
 * start, the first `limit` from it; otherwise the last `limit` up to the end.
 */
export function selectKlines(
  all: readonly KlineRow[],
  q: { startTime?: number; endTime?: number; limit: number },
): KlineRow[] {
  let from = 0;
  let to = all.length;
  if (q.startTime !== undefined) {
    const start = q.startTime;
    while (from < to && all[from]![0] < start) from++;
  }
  if (q.endTime !== undefined) {
    const end = q.endTime;
    while (to > from && all[to - 1]![0] > end) to--;
  }
  if (q.startTime !== undefined) return all.slice(from, Math.min(to, from + q.limit));
  return all.slice(Math.max(from, to - q.limit), to);
}

/** Length of a fixed interval in ms, or null for `1M` and unknown names. */
export function intervalMs(interval: string): number | null {
  return FIXED[interval] ?? null;
}

/**
 * Aggregates recorded klines into a longer interval (pure): first open, highest high,
 * lowest low, last close, summed volumes and counts, exact at the inputs' scale.
 */
export function aggregateKlines(rows: readonly KlineRow[], interval: string): KlineRow[] {
  const out: KlineRow[] = [];
  let i = 0;
  while (i < rows.length) {
    const bucket = bucketOf(rows[i]![0], interval);
    let j = i;
    while (j < rows.length && rows[j]![0] < bucket.next) j++;
    const group = rows.slice(i, j);
    const scale = Math.max(...group.flatMap((r) => [scaleOf(r[1]), scaleOf(r[5]), scaleOf(r[7])]));
    const sum = (col: 5 | 7 | 9 | 10): string =>
      formatScaled(
        group.reduce((n, r) => n + toScaled(r[col], scale), 0n),
        scale,
      );
    let high = group[0]!;
    let low = group[0]!;
    for (const r of group) {
      if (toScaled(r[2], scale) > toScaled(high[2], scale)) high = r;
      if (toScaled(r[3], scale) < toScaled(low[3], scale)) low = r;
    }
    out.push([
      bucket.open,
      group[0]![1],
      high[2],
      low[3],
      group.at(-1)![4],
      sum(5),
      bucket.next - 1,
      sum(7),
      group.reduce((n, r) => n + r[8], 0),
      sum(9),
      sum(10),
      '0',
    ]);
    i = j;
  }
  return out;
}
