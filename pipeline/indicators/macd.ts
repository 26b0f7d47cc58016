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
  const macdLine = nanArray(n);
  const signal = nanArray(n);
  const hist = nanArray(n);
  if (first >= n) return { macd: macdLine, signal, hist };
  const slowEma = emaFrom(src, slow, 0, emaFactor(slow));
  const fastEma = emaFrom(src, fast, seedIdx - (fast - 1), emaFactor(fast));
  const raw = nanArray(n);
  for (let i = seedIdx; i < n; i++) raw[i] = fastEma[i]! - slowEma[i]!;
  const sig = emaFrom(raw, signalPeriod, seedIdx, emaFactor(signalPeriod));
  for (let i = first; i < n; i++) {
    macdLine[i] = raw[i]!;
    signal[i] = sig[i]!;
    hist[i] = raw[i]! - sig[i]!;
  }
  return { macd: macdLine, signal, hist };
}
