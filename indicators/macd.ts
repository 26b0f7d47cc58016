import { emaFactor, emaFrom } from './kernels/ema.ts';
import { nanArray } from './kernels/series.ts';

/** MACD line, signal line and histogram. */
export interface MacdResult {
  readonly macd: Float64Array;
  readonly signal: Float64Array;
  readonly hist: Float64Array;
}

/**
 * MACD the TA-Lib way: BOTH EMAs are seeded at index `slow-1` (the fast EMA with the SMA
 * of the `fast` closes ending there, not at `fast-1`), the signal EMA is seeded with the
 * mean of the first `signal` MACD values, and all three outputs start at
 * `slow + signal - 2`. Periods are swapped when fast > slow, as TA-Lib does.
 */
export function macd(
  src: Float64Array,
  fastPeriod: number,
  slowPeriod: number,
  signalPeriod: number,
): MacdResult {
  let fast = fastPeriod;
  let slow = slowPeriod;
  if (slow < fast) [fast, slow] = [slow, fast];
  const n = src.length;
  const seedIdx = slow - 1;
  const first = seedIdx + signalPeriod - 1;
  const hist = nanArray(n);
  if (first >= n) return { macd: nanArray(n), signal: nanArray(n), hist };
  const raw = emaFrom(src, slow, 0, emaFactor(slow)); // slow EMA, then fast - slow in place
  const fastEma = emaFrom(src, fast, seedIdx - (fast - 1), emaFactor(fast));
  for (let i = seedIdx; i < n; i++) raw[i] = fastEma[i]! - raw[i]!;
  const sig = emaFrom(raw, signalPeriod, seedIdx, emaFactor(signalPeriod)); // NaN before `first`
  for (let i = 0; i < first; i++) raw[i] = Number.NaN;
  for (let i = first; i < n; i++) hist[i] = raw[i]! - sig[i]!;
  return { macd: raw, signal: sig, hist };
}
