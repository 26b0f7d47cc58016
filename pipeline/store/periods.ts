/**
 * Bar periods and their UTC bucket alignment (as Binance: fixed-width periods are aligned to the
 * Unix epoch, weeks start on Monday 00:00 UTC, months on the 1st).
 */
import { InvalidInputError } from '../../core/errors.ts';

const MIN = 60_000_000;
/** Width in µs of every fixed-width period; `1M` (calendar month) is handled separately. */
export const PERIOD_US: Readonly<Record<string, number>> = {
  '1m': MIN,
  '3m': 3 * MIN,
  '5m': 5 * MIN,
  '15m': 15 * MIN,
  '30m': 30 * MIN,
  '1h': 60 * MIN,
  '2h': 120 * MIN,
  '4h': 240 * MIN,
  '6h': 360 * MIN,
  '8h': 480 * MIN,
  '12h': 720 * MIN,
  '1d': 1440 * MIN,
  '3d': 3 * 1440 * MIN,
  '1w': 7 * 1440 * MIN,
};

/** Every period the store can answer, smallest first. */
export const PERIODS: readonly string[] = [...Object.keys(PERIOD_US), '1M'];

/** 1970-01-01 was a Thursday; weekly buckets are shifted by 4 days to start on Monday. */
const WEEK_OFFSET_US = 4 * 1440 * MIN;

/** Checks a period name, naming the valid ones when it is not. */
export function parsePeriod(period: string): string {
  if (!PERIODS.includes(period)) {
    throw new InvalidInputError('period', `"${period}" is not a period; valid: ${PERIODS.join(', ')}`);
  }
  return period;
}

function offsetOf(period: string): number {
  return period === '1w' ? WEEK_OFFSET_US : 0;
}

/** Start of the bucket holding `timeUs`. */
export function alignDown(period: string, timeUs: number): number {
  if (period === '1M') {
    const d = new Date(Math.floor(timeUs / 1000));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) * 1000;
  }
  const width = PERIOD_US[period]!;
  const off = offsetOf(period);
  return Math.floor((timeUs - off) / width) * width + off;
}

/** Start of the bucket after the one starting at `openUs`. */
export function nextBucket(period: string, openUs: number): number {
  if (period === '1M') {
    const d = new Date(Math.floor(openUs / 1000));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) * 1000;
  }
  return openUs + PERIOD_US[period]!;
}

/** Start of the bucket `n` buckets before the one starting at `openUs`. */
export function bucketsBack(period: string, openUs: number, n: number): number {
  if (period === '1M') {
    const d = new Date(Math.floor(openUs / 1000));
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1) * 1000;
  }
  return openUs - n * PERIOD_US[period]!;
}

/** SQL giving the bucket start (BIGINT µs) of the BIGINT µs column `col`. */
export function bucketSql(period: string, col: string): string {
  if (period === '1M') return `epoch_us(date_trunc('month', make_timestamp(${col})))`;
  const width = PERIOD_US[period]!;
  const off = offsetOf(period);
  // Times are after 1970-01-05, so integer division (truncating) equals floor here.
  return off === 0
    ? `((${col} // ${width}) * ${width})`
    : `(((${col} - ${off}) // ${width}) * ${width} + ${off})`;
}

/** SQL giving the exclusive end of the bucket starting at the BIGINT µs expression `openSql`. */
export function bucketEndSql(period: string, openSql: string): string {
  if (period === '1M') return `epoch_us(make_timestamp(${openSql}) + INTERVAL 1 MONTH)`;
  return `(${openSql} + ${PERIOD_US[period]!})`;
}
