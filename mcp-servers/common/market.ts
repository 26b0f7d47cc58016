/**
 * Shared argument handling for market tools: symbols (resolved against what the store holds,
 * with closest matches when unknown), periods, time ranges and bar loading with a cap.
 */
import { z } from 'zod';
import {
  BUILT_PERIODS,
  type BuiltPeriod,
  bucketCount,
  isBuiltPeriod,
  isPeriod,
  PERIODS,
  type Period,
} from '../../core/periods/index.ts';
import type { StoredBar } from '../../pipeline/store/index.ts';
import { invalidArgument, unknownValue } from './errors.ts';
import type { MarketDataSource } from './market-source.ts';

/** Most bars one call loads (range too large → this cap in the error). */
export const MAX_BARS = 5_000;
/** Default venue when a tool call names none. */
export const DEFAULT_EXCHANGE = 'BINANCE';

/** Zod fields shared by tools that name a series. */
export const symbolField = z
  .string()
  .min(1)
  .max(40)
  .describe('Symbol, venue-native (BTCUSDT) or unified (BTC/USDT); search_symbols lists them.');
export const exchangeField = z
  .string()
  .min(1)
  .max(40)
  .optional()
  .describe(`Exchange id, e.g. BINANCE (default ${DEFAULT_EXCHANGE}).`);
export const periodField = z
  .string()
  .min(1)
  .max(20)
  .describe(`Bar period: ${PERIODS.join(', ')} (1M is a calendar month, UTC).`);
export const fromField = z
  .string()
  .optional()
  .describe('Range start, ISO 8601 UTC (2024-08-08T23:54:00Z) or a date (2024-08-08); inclusive.');
export const toField = z
  .string()
  .optional()
  .describe('Range end, ISO 8601 UTC or a date; exclusive. Default: now / the latest stored.');

/** A resolved series. */
export interface SeriesId {
  readonly venue: string;
  readonly symbol: string;
}

/** Every `VENUE:SYMBOL` the source knows, from the catalog and the symbol registry. */
export async function knownSeries(
  source: MarketDataSource,
): Promise<{ venue: string; symbol: string; marketId: string }[]> {
  const out = new Map<string, { venue: string; symbol: string; marketId: string }>();
  for (const s of source.describeSeries()) {
    if (s.dataset === 'symbols') continue;
    out.set(`${s.venue}:${s.symbol}`, { venue: s.venue, symbol: s.symbol, marketId: '' });
  }
  for (const r of await source.listSymbols()) {
    out.set(`${r.exchangeId}:${r.venueSymbol}`, {
      venue: r.exchangeId,
      symbol: r.venueSymbol,
      marketId: r.marketId,
    });
  }
  return [...out.values()];
}

/** Resolves `symbol` (BTCUSDT, BTC/USDT, btc-usdt) on `exchange`; unknown → closest matches. */
export async function resolveSeries(
  source: MarketDataSource,
  symbol: string,
  exchange: string | undefined,
  field = 'symbol',
): Promise<SeriesId> {
  const venue = (exchange ?? DEFAULT_EXCHANGE).toUpperCase();
  const all = await knownSeries(source);
  const venues = [...new Set(all.map((s) => s.venue))];
  if (exchange !== undefined && !venues.includes(venue))
    unknownValue('exchange', 'exchange', exchange, venues);
  const onVenue = all.filter((s) => s.venue === venue);
  const wanted = symbol.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const hit = onVenue.find(
    (s) => s.symbol.toUpperCase() === wanted || s.marketId.toUpperCase().replace(/[^A-Z0-9]/g, '') === wanted,
  );
  if (hit === undefined)
    unknownValue(
      field,
      `symbol on ${venue}`,
      symbol,
      onVenue.map((s) => s.symbol),
    );
  return { venue, symbol: hit.symbol };
}

/** Checks a period, listing the valid ones when it is not. */
export function checkPeriod(period: string, field = 'period'): Period {
  if (!isPeriod(period)) invalidArgument(field, `"${period}" is not a period; valid: ${PERIODS.join(', ')}`);
  return period;
}

/** Checks a period of the live feed (the periods the processors build), listing them when it is not one. */
export function checkBuiltPeriod(period: string, field = 'period'): BuiltPeriod {
  if (!isBuiltPeriod(period)) {
    invalidArgument(field, `"${period}" is not a live bar period; valid: ${BUILT_PERIODS.join(', ')}`);
  }
  return period;
}

/** Parses an ISO 8601 time or date (UTC when no zone is given) into epoch µs. */
export function parseTime(value: string, field: string): number {
  const text = /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(value)
    ? `${value}${value.length > 10 ? 'Z' : ''}`
    : value;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    invalidArgument(
      field,
      `"${value}" is not a time; expected ISO 8601 UTC like 2024-08-08T23:54:00Z or 2024-08-08`,
    );
  }
  return ms * 1000;
}

/** Options of {@link loadBars}. */
export interface LoadBarsOptions {
  readonly series: SeriesId;
  readonly period: string;
  readonly from?: string;
  readonly to?: string;
  /**
   * Bars wanted when the range is open: the latest `limit` (before `to`) without `from`, the
   * first `limit` from `from` without `to`. With both, every bar of the range (≤ MAX_BARS).
   */
  readonly limit: number;
  /** Extra bars to load before `from` (indicator warm-up); they are returned separately. */
  readonly warmup?: number;
}

/** Bars of a request plus the warm-up bars loaded before them. */
export interface LoadedBars {
  readonly bars: StoredBar[];
  /** How many of `bars` (at the start) are warm-up, before the range asked for. */
  readonly warmup: number;
}

/** Loads bars for a tool call, enforcing {@link MAX_BARS} with an error naming the cap. */
export async function loadBars(source: MarketDataSource, o: LoadBarsOptions): Promise<LoadedBars> {
  const period = checkPeriod(o.period);
  if (!Number.isInteger(o.limit) || o.limit < 1 || o.limit > MAX_BARS) {
    invalidArgument('limit', `${o.limit} is out of range; valid: 1..${MAX_BARS}`);
  }
  const toUs = o.to === undefined ? undefined : parseTime(o.to, 'to');
  const warm = o.warmup ?? 0;
  if (o.from === undefined) {
    const bars = await source.getBars({ ...o.series, period: o.period, toUs, limit: o.limit + warm });
    return { bars, warmup: Math.max(0, bars.length - o.limit) };
  }
  const fromUs = parseTime(o.from, 'from');
  if (toUs !== undefined && fromUs >= toUs) invalidArgument('from', `${o.from} is not before to ${o.to}`);
  const count = toUs === undefined ? 0 : bucketCount(period, fromUs, toUs);
  if (count > MAX_BARS) {
    invalidArgument(
      'from',
      `range ${o.from}..${o.to} holds ${count} ${o.period} bars; the cap is ${MAX_BARS} (narrow the range or use a longer period)`,
    );
  }
  const [before, inRange] = await Promise.all([
    warm > 0
      ? source.getBars({ ...o.series, period: o.period, toUs: fromUs, limit: warm })
      : Promise.resolve([] as StoredBar[]),
    source.getBars({
      ...o.series,
      period: o.period,
      fromUs,
      toUs,
      limit: toUs === undefined ? o.limit : MAX_BARS,
    }),
  ]);
  return { bars: [...before, ...inRange], warmup: before.length };
}

/** OHLCV columns of bars as numbers (for indicators and charts). */
export function barColumns(bars: readonly StoredBar[]): {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
} {
  return {
    time: bars.map((b) => b.openTimeUs),
    open: bars.map((b) => Number(b.open)),
    high: bars.map((b) => Number(b.high)),
    low: bars.map((b) => Number(b.low)),
    close: bars.map((b) => Number(b.close)),
    volume: bars.map((b) => Number(b.volume)),
  };
}
