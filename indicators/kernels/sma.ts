import { nanArray } from './series.ts';

/**
 * Simple moving average of `src[begin..]`, first value at `begin + period - 1`.
 * Uses TA-Lib's running sum (add the new value, emit, then drop the oldest) so results
 * are bit-identical to TA-Lib's SMA and to the MA inside BBANDS/STOCH.
 */
export function smaFrom(src: Float64Array, period: number, begin = 0): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  const first = begin + period - 1;
  if (first >= n) return out;
  let total = 0;
  for (let i = begin; i < first; i++) total += src[i]!;
  let trailing = begin;
  for (let i = first; i < n; i++) {
    total += src[i]!;
    const sum = total;
    total -= src[trailing++]!;
    out[i] = sum / period;
  }
  return out;
}
