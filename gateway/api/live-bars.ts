/**
 * The recent bars of each series and period as the live feed carries them (forming and final,
 * proto `Bar` fields plus the envelope's venue and symbol), so `/api/candles` answers the tail of
 * a chart without the store. Per series and period it keeps the last `capacity` bars, oldest
 * first; it answers for open times from the first bar it still holds (its coverage) onwards.
 *
 * The cache trusts the feed to be complete from its first bar: whoever feeds it calls `clear()`
 * when the feed is interrupted (a reconnect), so it never answers over a hole.
 */
import type { SeriesRef } from '../../pipeline/store/index.ts';

/** The fields of a bar the chart needs (a stored bar and a live bar both have them). */
export interface ChartBar {
  readonly openTimeUs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/** One bar as the live feed carries it (the chart's fields of proto `Bar`). */
export interface LiveBar extends SeriesRef, ChartBar {
  readonly period: string;
  /** 0 for the first emission; higher for a late correction. Default 0. */
  readonly revision?: number;
  readonly final?: boolean;
}

/** A bar as the cache holds it: the chart's fields only, one object shape for every bar. */
export interface HeldBar extends ChartBar {
  readonly revision: number;
  readonly final: boolean;
}

/** Copies the fields the cache keeps (the feed's objects carry more, in varying shapes). */
function toHeld(bar: LiveBar): HeldBar {
  return {
    openTimeUs: bar.openTimeUs,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    revision: bar.revision ?? 0,
    final: bar.final ?? false,
  };
}

export interface LiveBarCache {
  /** Adds a new bar or replaces the one with the same open time (forming → final, late revisions). */
  update(bar: LiveBar): void;
  /** Bars with open time in [fromUs, toUs), oldest first (only those the cache holds). */
  range(series: SeriesRef, period: string, fromUs: number, toUs: number): HeldBar[];
  /** Open time of the oldest bar held: the cache answers completely from there on; null: nothing held. */
  coveredFromUs(series: SeriesRef, period: string): number | null;
  /** The newest bar held, or null. */
  latest(series: SeriesRef, period: string): HeldBar | null;
  /** Forgets everything (call when the feed was interrupted). */
  clear(): void;
}

/** First index whose open time is ≥ `t` (bars sorted by open time). */
function lowerBound(bars: readonly HeldBar[], t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars[mid]!.openTimeUs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when `next` should replace `held` (same open time). */
function supersedes(current: HeldBar, next: HeldBar): boolean {
  if (next.revision !== current.revision) return next.revision > current.revision;
  return !(current.final && !next.final);
}

/** Creates a cache keeping the last `capacity` bars of each series and period. */
export function createLiveBarCache(options: { capacity: number }): LiveBarCache {
  const { capacity } = options;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`capacity ${capacity} is not a positive integer`);
  }
  const series = new Map<string, HeldBar[]>();
  const keyOf = (s: SeriesRef, period: string): string => `${s.venue}\u0000${s.symbol}\u0000${period}`;

  return {
    update(input) {
      const key = keyOf(input, input.period);
      const bar = toHeld(input);
      let bars = series.get(key);
      if (bars === undefined) {
        bars = [];
        series.set(key, bars);
      }
      const last = bars.at(-1);
      if (last === undefined || bar.openTimeUs > last.openTimeUs) {
        bars.push(bar);
        if (bars.length > capacity) bars.shift();
        return;
      }
      if (bar.openTimeUs === last.openTimeUs) {
        if (supersedes(last, bar)) bars[bars.length - 1] = bar;
        return;
      }
      // Older than the newest: a late revision, or a bar that came late. Before the coverage: ignored.
      if (bar.openTimeUs < bars[0]!.openTimeUs) return;
      const i = lowerBound(bars, bar.openTimeUs);
      const current = bars[i]!;
      if (current.openTimeUs === bar.openTimeUs) {
        if (supersedes(current, bar)) bars[i] = bar;
      } else {
        bars.splice(i, 0, bar);
        if (bars.length > capacity) bars.shift();
      }
    },
    range(s, period, fromUs, toUs) {
      const bars = series.get(keyOf(s, period));
      if (bars === undefined) return [];
      return bars.slice(lowerBound(bars, fromUs), lowerBound(bars, toUs));
    },
    coveredFromUs(s, period) {
      return series.get(keyOf(s, period))?.[0]?.openTimeUs ?? null;
    },
    latest(s, period) {
      return series.get(keyOf(s, period))?.at(-1) ?? null;
    },
    clear() {
      series.clear();
    },
  };
}
