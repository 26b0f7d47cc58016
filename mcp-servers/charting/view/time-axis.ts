/**
 * Times ↔ logical bar positions on the view's time scale (pure). lightweight-charts places
 * bar i at logical i; drawings are anchored to arbitrary times (µs) that may fall between bars
 * or beyond the last one, so they are placed by interpolating between bar times and, outside
 * the data, by extrapolating with the bar interval.
 */

/** Times of the bars, epoch seconds, ascending. */
export type BarTimes = ArrayLike<number>;

/** The bar interval in seconds: the smallest gap among the last bars (60 with fewer than 2 bars). */
export function barInterval(times: BarTimes): number {
  const n = times.length;
  let best = Number.POSITIVE_INFINITY;
  for (let i = Math.max(1, n - 20); i < n; i++) {
    const gap = (times[i] as number) - (times[i - 1] as number);
    if (gap > 0 && gap < best) best = gap;
  }
  return Number.isFinite(best) ? best : 60;
}

/** Logical position of `t` (epoch seconds); `null` without bars. */
export function timeToLogical(times: BarTimes, t: number): number | null {
  const n = times.length;
  if (n === 0) return null;
  const first = times[0] as number;
  const last = times[n - 1] as number;
  if (t <= first) return (t - first) / barInterval(times);
  if (t >= last) return n - 1 + (t - last) / barInterval(times);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid;
    else hi = mid;
  }
  const a = times[lo] as number;
  const b = times[hi] as number;
  return lo + (t - a) / (b - a);
}

/**
 * The bar time nearest to a logical position (epoch seconds), snapped to a bar; beyond the
 * data, the time a bar would have there. `null` without bars.
 */
export function logicalToBarTime(times: BarTimes, logical: number): number | null {
  const n = times.length;
  if (n === 0) return null;
  const i = Math.round(logical);
  if (i >= 0 && i < n) return times[i] as number;
  const step = barInterval(times);
  return i < 0 ? (times[0] as number) + i * step : (times[n - 1] as number) + (i - n + 1) * step;
}

/** Epoch µs of epoch seconds, and back (the catalogue stores µs, lightweight-charts seconds). */
export const secondsToUs = (s: number): number => Math.round(s * 1e6);
export const usToSeconds = (us: number): number => us / 1e6;
