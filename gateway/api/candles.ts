/**
 * Bars for the chart: the recent tail from the live cache when it covers it, the rest from the
 * store, joined at the cache's coverage start so no bar is missing or doubled. The store and the
 * cache carry the same bars (the cache is fed by the feed whose bars the store keeps), so the
 * answer is the same either way.
 */
import type { Period } from '../../core/periods/index.ts';
import type { MarketDataSource, SeriesId } from '../../mcp-servers/common/index.ts';
import type { ChartBar, LiveBarCache } from './live-bars.ts';

export type { ChartBar } from './live-bars.ts';

/** What to load: every bar of [fromUs, toUs), or `limit` bars from `fromUs` / before `toUs`. */
export interface CandleQuery {
  readonly series: SeriesId;
  readonly period: Period;
  readonly fromUs?: number;
  readonly toUs?: number;
  readonly limit: number;
}

export interface CandleAnswer {
  readonly bars: readonly ChartBar[];
  /** How many of `bars` came from the live cache (the rest from the store). */
  readonly fromCache: number;
}

const NO_END = Number.MAX_SAFE_INTEGER;

/** Loads a query's bars from the store and, for its recent tail, the cache. */
export async function loadCandles(
  market: MarketDataSource,
  cache: LiveBarCache | undefined,
  q: CandleQuery,
): Promise<CandleAnswer> {
  const { series, period, fromUs, toUs, limit } = q;
  const base = { ...series, period };
  const covered = cache?.coveredFromUs(series, period) ?? null;
  if (cache === undefined || covered === null || (toUs !== undefined && toUs <= covered)) {
    return { bars: await market.getBars({ ...base, fromUs, toUs, limit }), fromCache: 0 };
  }
  const end = toUs ?? NO_END;
  if (fromUs !== undefined && fromUs >= covered) {
    const bars = cache.range(series, period, fromUs, end);
    const cut = bars.length > limit ? bars.slice(0, limit) : bars;
    return { bars: cut, fromCache: cut.length };
  }
  const recent = cache.range(series, period, covered, end);
  if (fromUs !== undefined) {
    // From a start before the coverage: the store up to the coverage, then the cache.
    const older = await market.getBars({ ...base, fromUs, toUs: covered, limit });
    const fromCache = Math.min(recent.length, limit - older.length);
    return { bars: [...older, ...recent.slice(0, fromCache)], fromCache };
  }
  // The latest `limit` before `toUs`: the cache's, then as many older ones as still wanted.
  if (recent.length >= limit) return { bars: recent.slice(-limit), fromCache: limit };
  const older = await market.getBars({ ...base, toUs: covered, limit: limit - recent.length });
  return { bars: [...older, ...recent], fromCache: recent.length };
}

/**
 * The compact answer: one array per bar, `[time, open, high, low, close, volume]`, time in epoch
 * seconds (lightweight-charts' unit), prices and volume as JSON numbers.
 */
export function chartRows(bars: readonly ChartBar[]): number[][] {
  const rows = new Array<number[]>(bars.length);
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    rows[i] = [b.openTimeUs / 1e6, +b.open, +b.high, +b.low, +b.close, +b.volume];
  }
  return rows;
}
