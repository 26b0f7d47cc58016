import { nanArray } from './series.ts';

/**
 * Rebuild the sums when the variance is under this fraction of the mean squared
 * deviation it is taken from: past that, the subtraction `E[d²] - E[d]²` has cancelled
 * about six digits, leaving an error near 1e-16 / 1e-6 = 1e-10 of the variance.
 */
const CANCELLATION_RATIO = 1e-6;
/**
 * After a rebuild around the window's own mean, a variance under this fraction of the
 * mean squared deviation is the rounding error of that mean, not spread: it reads 0.
 * (A real window measured around its mean has a ratio near 1; a constant one 0 or ~1e-16.)
 */
const ZERO_RATIO = 1e-12;
/** A value leaving the window whose squared deviation dwarfs what stays (an outlier). */
const OUTLIER_RATIO = 1e6;
/** Rebuild at least every this many windows per bar of period, so drift stays bounded. */
const REBUILD_EVERY_PERIODS = 32;

/**
 * Population variance of each `period`-long window of `src`, at the window's last index
 * (first value at `period - 1`, `NaN` before).
 *
 * Numerically stable: the running sums are of deviations from a shift near the data
 * (`d = x - shift`), so `E[d²] - E[d]²` subtracts quantities of the variance's own size
 * instead of two numbers of size price² (E[x²] - E[x]², TA-Lib before 0.8, loses about
 * nine digits at BTC prices with cent moves). The shift is re-anchored on the window mean,
 * and the sums rebuilt from the window in two passes, when the subtraction starts to
 * cancel, when an outlier leaves the window, and every 32·period windows. A window of
 * equal values gives exactly 0; the result is never negative. This is the method of
 * current TA-Lib (VAR/STDDEV/BBANDS since 0.8), so the two agree to ~1e-12 relative.
 */
export function rollingVariance(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const last = period - 1;
  if (last >= n) return out;
  const inv = 1 / period;
  const rebuildEvery = REBUILD_EVERY_PERIODS * period;
  let shift = src[0]!;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < last; i++) {
    const d = src[i]! - shift;
    s1 += d;
    s2 += d * d;
  }
  let sinceRebuild = 0;
  for (let i = last; i < n; i++) {
    const d = src[i]! - shift;
    s1 += d;
    s2 += d * d;
    let mean = s1 * inv;
    let variance = s2 * inv - mean * mean;
    if (variance < CANCELLATION_RATIO * (s2 * inv) || ++sinceRebuild >= rebuildEvery) {
      // Two passes over the window: its mean becomes the shift, then fresh sums.
      const start = i - last;
      let sum = 0;
      for (let j = start; j <= i; j++) sum += src[j]!;
      shift = sum * inv;
      s1 = 0;
      s2 = 0;
      for (let j = start; j <= i; j++) {
        const e = src[j]! - shift;
        s1 += e;
        s2 += e * e;
      }
      mean = s1 * inv;
      variance = s2 * inv - mean * mean;
      if (variance < ZERO_RATIO * (s2 * inv)) variance = 0;
      sinceRebuild = 0;
    }
    out[i] = variance > 0 ? variance : 0;
    const leaving = src[i - last]! - shift;
    const leaving2 = leaving * leaving;
    s1 -= leaving;
    s2 -= leaving2;
    // What stays carries an error of ~1e-16 * leaving2: rebuild at the next window.
    if (leaving2 > OUTLIER_RATIO * s2) sinceRebuild = rebuildEvery;
  }
  return out;
}
