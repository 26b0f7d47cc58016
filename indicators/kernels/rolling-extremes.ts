import { nanArray } from './series.ts';

/**
 * Highest value over the last `period` entries (inclusive of the current one), NaN
 * before index `period - 1`. Tracks the index of the extreme and rescans only when it
 * leaves the window (TA-Lib's approach), so it is O(n) on typical data.
 */
export function rollingMax(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  let bestIdx = -1;
  let best = 0;
  for (let today = period - 1; today < n; today++) {
    const trailing = today - period + 1;
    const v = src[today]!;
    if (bestIdx < trailing) {
      bestIdx = trailing;
      best = src[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        const x = src[i]!;
        if (x >= best) {
          best = x;
          bestIdx = i;
        }
      }
    } else if (v >= best) {
      best = v;
      bestIdx = today;
    }
    out[today] = best;
  }
  return out;
}

/** Lowest value over the last `period` entries; see {@link rollingMax}. */
export function rollingMin(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  let bestIdx = -1;
  let best = 0;
  for (let today = period - 1; today < n; today++) {
    const trailing = today - period + 1;
    const v = src[today]!;
    if (bestIdx < trailing) {
      bestIdx = trailing;
      best = src[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        const x = src[i]!;
        if (x <= best) {
          best = x;
          bestIdx = i;
        }
      }
    } else if (v <= best) {
      best = v;
      bestIdx = today;
    }
    out[today] = best;
  }
  return out;
}
