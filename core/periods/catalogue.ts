/**
 * The bar period catalogue: every period the product accepts, in one list, and what is derived
 * from it — the periods the processors build on the bus, the periods a venue serves, each
 * period's bucket span. Buckets are in UTC as Binance lays out its klines: fixed-width periods
 * are aligned to the Unix epoch, `1w` starts on Monday 00:00, `1M` is a calendar month (starts on
 * the 1st, 28 to 31 days long).
 */
import { InvalidInputError } from '../errors.ts';

const MINUTE_US = 60_000_000;
const DAY_US = 1440 * MINUTE_US;
/** 1970-01-01 was a Thursday; weekly buckets are shifted by 4 days to start on Monday. */
const MONDAY_OFFSET_US = 4 * DAY_US;

/**
 * One row per period, shortest first. `widthUs` is 0 for the calendar month. `built`: the
 * processors build it on the bus (1m from trades, the others derived from 1m); the store
 * answers the others by aggregating stored 1m bars.
 */
const CATALOGUE = [
  { name: '1m', widthUs: MINUTE_US, offsetUs: 0, built: true },
  { name: '3m', widthUs: 3 * MINUTE_US, offsetUs: 0, built: true },
  { name: '5m', widthUs: 5 * MINUTE_US, offsetUs: 0, built: true },
  { name: '15m', widthUs: 15 * MINUTE_US, offsetUs: 0, built: true },
  { name: '30m', widthUs: 30 * MINUTE_US, offsetUs: 0, built: true },
  { name: '1h', widthUs: 60 * MINUTE_US, offsetUs: 0, built: true },
  { name: '2h', widthUs: 120 * MINUTE_US, offsetUs: 0, built: true },
  { name: '4h', widthUs: 240 * MINUTE_US, offsetUs: 0, built: true },
  { name: '6h', widthUs: 360 * MINUTE_US, offsetUs: 0, built: true },
  { name: '8h', widthUs: 480 * MINUTE_US, offsetUs: 0, built: true },
  { name: '12h', widthUs: 720 * MINUTE_US, offsetUs: 0, built: true },
  { name: '1d', widthUs: DAY_US, offsetUs: 0, built: true },
  { name: '3d', widthUs: 3 * DAY_US, offsetUs: 0, built: false },
  { name: '1w', widthUs: 7 * DAY_US, offsetUs: MONDAY_OFFSET_US, built: true },
  { name: '1M', widthUs: 0, offsetUs: 0, built: false },
] as const;

type Row = (typeof CATALOGUE)[number];

/** A bar period the product accepts (`1m` … `1M`). */
export type Period = Row['name'];
/** A period the processors build on the bus (fixed width). */
export type BuiltPeriod = Extract<Row, { built: true }>['name'];
/** A period of fixed width (every period but the calendar month). */
export type FixedPeriod = Exclude<Period, '1M'>;

/** Every period the product accepts, shortest first. */
export const PERIODS: readonly Period[] = CATALOGUE.map((r) => r.name);

/** Periods the processors build: 1m from trades and {@link DERIVED_PERIODS} from 1m bars. */
export const BUILT_PERIODS: readonly BuiltPeriod[] = CATALOGUE.filter(
  (r): r is Extract<Row, { built: true }> => r.built,
).map((r) => r.name);

/** Built periods derived from 1m bars (all built periods but 1m). */
export const DERIVED_PERIODS: readonly BuiltPeriod[] = BUILT_PERIODS.filter((p) => p !== '1m');

/** Width in µs of each fixed-width period. */
export const PERIOD_US: Readonly<Record<FixedPeriod, number>> = Object.fromEntries(
  CATALOGUE.filter((r) => r.widthUs > 0).map((r) => [r.name, r.widthUs]),
) as Record<FixedPeriod, number>;

/** Bucket offset from the epoch in µs, by period (non-zero only for `1w`). */
const OFFSET_US: Readonly<Record<Period, number>> = Object.fromEntries(
  CATALOGUE.map((r) => [r.name, r.offsetUs]),
) as Record<Period, number>;

/** Width in µs by period, 0 for the calendar month. */
const WIDTH_US: Readonly<Record<Period, number>> = Object.fromEntries(
  CATALOGUE.map((r) => [r.name, r.widthUs]),
) as Record<Period, number>;

/** True when `name` is a period the product accepts. */
export function isPeriod(name: string): name is Period {
  return Object.hasOwn(WIDTH_US, name);
}

/** True when `name` is a period the processors build. */
export function isBuiltPeriod(name: string): name is BuiltPeriod {
  return (BUILT_PERIODS as readonly string[]).includes(name);
}

/** True when `period` has a fixed width (is not the calendar month). */
export function isFixedPeriod(period: string): period is FixedPeriod {
  return isPeriod(period) && WIDTH_US[period] > 0;
}

/** Checks a period name, throwing an error that lists the valid ones. */
export function parsePeriod(name: string, field = 'period'): Period {
  if (!isPeriod(name)) {
    throw new InvalidInputError(
      field,
      `unknown period ${JSON.stringify(name)}; valid: ${PERIODS.join(', ')}`,
    );
  }
  return name;
}

/** Checks a period the processors build, throwing an error that lists the valid ones. */
export function parseBuiltPeriod(name: string, field = 'period'): BuiltPeriod {
  if (!isBuiltPeriod(name)) {
    throw new InvalidInputError(
      field,
      `period ${JSON.stringify(name)} is not built by the processors; valid: ${BUILT_PERIODS.join(', ')}`,
    );
  }
  return name;
}

/**
 * The periods a venue serves, in catalogue order: those of the catalogue among the venue's own
 * interval names (Binance kline intervals, ccxt timeframes). Names we do not accept (`1s`) drop out.
 */
export function servedPeriods(venueIntervals: Iterable<string>): Period[] {
  const names = new Set(venueIntervals);
  return PERIODS.filter((p) => names.has(p));
}

/** Width and epoch offset (µs) of a fixed-width period's buckets; undefined for the calendar month. */
export function fixedSpan(
  period: Period,
): { readonly widthUs: number; readonly offsetUs: number } | undefined {
  const widthUs = WIDTH_US[period];
  return widthUs === 0 ? undefined : { widthUs, offsetUs: OFFSET_US[period] };
}

/** Start (inclusive, epoch µs) of the bucket of `period` that holds `timeUs`. */
export function bucketStartUs(period: Period, timeUs: number): number {
  const width = WIDTH_US[period];
  if (width === 0) {
    const d = new Date(Math.floor(timeUs / 1000));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) * 1000;
  }
  const offset = OFFSET_US[period];
  return Math.floor((timeUs - offset) / width) * width + offset;
}

/** Start of the bucket after the one starting at `openUs` (the exclusive end of that bucket). */
export function nextBucket(period: Period, openUs: number): number {
  const width = WIDTH_US[period];
  if (width > 0) return openUs + width;
  const d = new Date(Math.floor(openUs / 1000));
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) * 1000;
}

/** Start of the bucket `n` buckets before the one starting at `openUs`. */
export function bucketsBack(period: Period, openUs: number, n: number): number {
  const width = WIDTH_US[period];
  if (width > 0) return openUs - n * width;
  const d = new Date(Math.floor(openUs / 1000));
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1) * 1000;
}

/** How many buckets of `period` hold some instant of `[fromUs, toUs)` (0 when empty). */
export function bucketCount(period: Period, fromUs: number, toUs: number): number {
  if (toUs <= fromUs) return 0;
  const first = bucketStartUs(period, fromUs);
  const last = bucketStartUs(period, toUs - 1);
  const width = WIDTH_US[period];
  if (width > 0) return (last - first) / width + 1;
  const a = new Date(first / 1000);
  const b = new Date(last / 1000);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
}
