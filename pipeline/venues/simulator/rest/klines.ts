import {
  bucketStartUs,
  isFixedPeriod,
  isPeriod,
  nextBucket,
  PERIOD_US,
} from '../../../../core/periods/index.ts';
import { KLINE_INTERVALS as BINANCE_KLINE_INTERVALS } from '../../binance/config.ts';
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

/** Binance's kline intervals (spot; futures lack `1s`): the adapter's list of the venue's facts. */
export const KLINE_INTERVALS: readonly string[] = BINANCE_KLINE_INTERVALS;

/**
 * The open time of the bar holding `t` (ms), and the open time of the next bar: the period
 * catalogue's buckets, plus Binance's `1s` (not a period of ours).
 */
export function bucketOf(t: number, interval: string): { open: number; next: number } {
  if (interval === '1s') {
    const open = Math.floor(t / 1000) * 1000;
    return { open, next: open + 1000 };
  }
  if (!isPeriod(interval)) throw new RangeError(`unknown interval ${interval}`);
  const openUs = bucketStartUs(interval, t * 1000);
  return { open: openUs / 1000, next: nextBucket(interval, openUs) / 1000 };
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
  if (interval === '1s') return 1000;
  return isFixedPeriod(interval) ? PERIOD_US[interval] / 1000 : null;
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
