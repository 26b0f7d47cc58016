import { nanArray } from './series.ts';

/** The EMA smoothing factor 2/(period+1). */
export function emaFactor(period: number): number {
  return 2 / (period + 1);
}

/**
 * Exponential moving average of `src[begin..]` seeded the TA-Lib way: the first value,
 * at `begin + period - 1`, is the plain mean of the first `period` inputs; then
 * `ema += (x - ema) * k`.
 */
export function emaFrom(src: Float64Array, period: number, begin = 0, k = emaFactor(period)): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const first = begin + period - 1;
  if (first >= n) return out;
  let sum = 0;
  for (let i = begin; i <= first; i++) sum += src[i]!;
  let prev = sum / period;
  out[first] = prev;
  for (let i = first + 1; i < n; i++) {
    prev = (src[i]! - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}
