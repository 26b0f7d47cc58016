/**
 * An incrementally updated moving average: `push` a new value and get the average so
 * far (NaN during warm-up) in O(1). `value` is the last result.
 */
export interface StreamingAverage {
  push(x: number): number;
  readonly value: number;
  /** Number of values pushed so far. */
  readonly count: number;
}

/**
 * Streaming SMA equal to {@link sma} on the same sequence (same running-sum order).
 * Keeps a ring buffer of the last `period` values.
 */
export function createSmaStream(period: number): StreamingAverage {
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
    get value() {
      return value;
    },
    get count() {
      return count;
    },
  };
}

/**
 * Streaming EMA equal to {@link ema} (TA-Lib seeding: the first value is the SMA of the
 * first `period` inputs, then `ema += (x - ema) * k`).
 */
export function createEmaStream(period: number): StreamingAverage {
  const k = 2 / (period + 1);
  let seedSum = 0;
  let count = 0;
  let value = Number.NaN;
  return {
    push: function pushEma(x: number): number {
      count++;
      if (count < period) {
        seedSum += x;
      } else if (count === period) {
        seedSum += x;
        value = seedSum / period;
      } else {
        value = (x - value) * k + value;
      }
      return value;
    },
    get value() {
      return value;
    },
    get count() {
      return count;
    },
  };
}
