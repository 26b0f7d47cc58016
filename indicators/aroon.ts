import { nanArray } from './kernels/series.ts';

/** Aroon down and up. */
export interface AroonResult {
  readonly down: Float64Array;
  readonly up: Float64Array;
}

/**
 * Aroon (TA-Lib AROON): over the last `period + 1` bars, 100 * (period - bars since the
 * highest high / lowest low) / period. Ties go to the most recent bar, as in TA-Lib.
 * First value at `period`.
 */
export function aroon(high: Float64Array, low: Float64Array, period: number): AroonResult {
  const n = high.length;
  const down = nanArray(n);
  const up = nanArray(n);
  const factor = 100 / period;
  let lowestIdx = -1;
  let highestIdx = -1;
  let lowest = 0;
  let highest = 0;
  for (let today = period; today < n; today++) {
    const trailing = today - period;
    const l = low[today]!;
    if (lowestIdx < trailing) {
      lowestIdx = trailing;
      lowest = low[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        if (low[i]! <= lowest) {
          lowestIdx = i;
          lowest = low[i]!;
        }
      }
    } else if (l <= lowest) {
      lowestIdx = today;
      lowest = l;
    }
    const h = high[today]!;
    if (highestIdx < trailing) {
      highestIdx = trailing;
      highest = high[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        if (high[i]! >= highest) {
          highestIdx = i;
          highest = high[i]!;
        }
      }
    } else if (h >= highest) {
      highestIdx = today;
      highest = h;
    }
    up[today] = factor * (period - (today - highestIdx));
    down[today] = factor * (period - (today - lowestIdx));
  }
  return { down, up };
}
