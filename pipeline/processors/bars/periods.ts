/**
 * Bar periods and UTC bucket alignment. Every period is aligned to the Unix epoch in
 * UTC, except 1w, which starts on Monday 00:00 UTC like Binance weekly klines.
 */
import { InvalidInputError } from '../../../core/errors.ts';

const MINUTE_US = 60_000_000;
const DAY_US = 1440 * MINUTE_US;
const WEEK_US = 7 * DAY_US;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const MONDAY_OFFSET_US = 4 * DAY_US;

/** Period length in microseconds, by name. */
export const PERIOD_US = {
  '1m': MINUTE_US,
  '3m': 3 * MINUTE_US,
  '5m': 5 * MINUTE_US,
  '15m': 15 * MINUTE_US,
  '30m': 30 * MINUTE_US,
  '1h': 60 * MINUTE_US,
  '2h': 120 * MINUTE_US,
  '4h': 240 * MINUTE_US,
  '6h': 360 * MINUTE_US,
  '8h': 480 * MINUTE_US,
  '12h': 720 * MINUTE_US,
  '1d': DAY_US,
  '1w': WEEK_US,
} as const;

/** A bar period name. */
export type Period = keyof typeof PERIOD_US;

/** Every period, shortest first. */
export const PERIODS = Object.keys(PERIOD_US) as Period[];

/** Periods derived from 1m bars (all but 1m). */
export const DERIVED_PERIODS: readonly Period[] = PERIODS.filter((p) => p !== '1m');

/** True when `name` is a known period. */
export function isPeriod(name: string): name is Period {
  return Object.hasOwn(PERIOD_US, name);
}

/** Checks a period name, throwing an error that lists the valid ones. */
export function parsePeriod(name: string): Period {
  if (!isPeriod(name))
    throw new InvalidInputError(
      'period',
      `unknown period ${JSON.stringify(name)}; valid: ${PERIODS.join(', ')}`,
    );
  return name;
}

/** Start (inclusive, epoch µs) of the bucket of `period` that holds `timeUs`. */
export function bucketStartUs(timeUs: number, period: Period): number {
  const len = PERIOD_US[period];
  if (period === '1w') return Math.floor((timeUs - MONDAY_OFFSET_US) / len) * len + MONDAY_OFFSET_US;
  return Math.floor(timeUs / len) * len;
}
