import { InvalidInputError } from '../../core/errors.ts';

/**
 * An incrementally updated moving average for the live pipeline. `push` commits a
 * closed bar's value and returns the average (NaN during warm-up) in O(1); `peek`
 * returns what the average would be if `x` were pushed, without changing state — the
 * value to draw for a still-forming bar on every tick.
 */
export interface StreamingAverage {
  push(x: number): number;
  peek(x: number): number;
  /** The last value `push` returned (NaN before the first full window). */
  readonly value: number;
  /** Number of values pushed so far. */
  readonly count: number;
}

/**
 * Streaming SMA bit-identical to the batch `sma` on the same sequence (same running-sum
 * order). Keeps a ring buffer of the last `period` values.
 */
export function createSmaStream(period: number): StreamingAverage {
  assertPeriod(period);
  const ring = new Float64Array(period);
  let total = 0;
  let count = 0;
  let value = Number.NaN;
  return {
    push: function pushSma(x: number): number {
      ring[count % period] = x;
      count++;
      total += x;
      if (count >= period) {
        value = total / period;
        // drop the oldest value of the window now, as the batch SMA does after emitting
        total -= ring[count % period]!;
      }
      return value;
    },
    peek: function peekSma(x: number): number {
      return count + 1 >= period ? (total + x) / period : Number.NaN;
    },
    get value() {
      return value;
    },
    get count() {
      return count;
    },
  };
}

/**
 * Streaming EMA bit-identical to the batch `ema` (TA-Lib seeding: the first value is the
 * SMA of the first `period` inputs, then `ema += (x - ema) * k`).
 */
export function createEmaStream(period: number): StreamingAverage {
  assertPeriod(period);
  const k = 2 / (period + 1);
  let seedSum = 0;
  let count = 0;
  let value = Number.NaN;
  const next = (x: number): number => {
    if (count + 1 < period) return Number.NaN;
    if (count + 1 === period) return (seedSum + x) / period;
    return (x - value) * k + value;
  };
  return {
    push: function pushEma(x: number): number {
      const v = next(x);
      if (count < period) seedSum += x;
      count++;
      value = v;
      return value;
    },
    peek: function peekEma(x: number): number {
      return next(x);
    },
    get value() {
      return value;
    },
    get count() {
      return count;
    },
  };
}

function assertPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1) {
    throw new InvalidInputError('period', `must be an integer >= 1 (got ${period})`);
  }
}
