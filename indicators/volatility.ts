import { isTaZero, isTaZeroOrNeg, nanArray } from './kernels/series.ts';
import { smaFrom } from './kernels/sma.ts';
import { trueRangeOf } from './kernels/true-range.ts';

/**
 * Standard deviation (population) over `period`, times `nbDev` (TA-Lib STDDEV). Uses
 * TA-Lib's running sums of x and x² (variance = E[x²] - E[x]², 0 when below 1e-14), so it
 * equals TA-Lib bit for bit; a two-pass std differs by ~1e-6 at BTC price levels.
 */
export function stddev(src: Float64Array, period: number, nbDev = 1): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  if (period - 1 >= n) return out;
  let total1 = 0;
  let total2 = 0;
  for (let i = 0; i < period - 1; i++) {
    const x = src[i]!;
    total1 += x;
    total2 += x * x;
  }
  let trailing = 0;
  for (let i = period - 1; i < n; i++) {
    const x = src[i]!;
    total1 += x;
    total2 += x * x;
    const mean1 = total1 / period;
    const mean2 = total2 / period;
    const old = src[trailing++]!;
    total1 -= old;
    total2 -= old * old;
    const variance = mean2 - mean1 * mean1;
    out[i] = isTaZeroOrNeg(variance) ? 0 : Math.sqrt(variance) * nbDev;
  }
  return out;
}

/** Bollinger bands: upper, middle (SMA) and lower. */
export interface BbandsResult {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Bollinger bands with an SMA middle (TA-Lib BBANDS, MA type 0). The deviation is the
 * population std around the SMA, from a running sum of x² (TA-Lib's algorithm).
 */
export function bbands(src: Float64Array, period: number, devUp = 2, devDown = 2): BbandsResult {
  const n = src.length;
  const middle = smaFrom(src, period, 0);
  const upper = nanArray(n);
  const lower = nanArray(n);
  if (period - 1 >= n) return { upper, middle, lower };
  let total2 = 0;
  for (let i = 0; i < period - 1; i++) total2 += src[i]! * src[i]!;
  let trailing = 0;
  for (let i = period - 1; i < n; i++) {
    const x = src[i]!;
    total2 += x * x;
    let variance = total2 / period;
    const old = src[trailing++]!;
    total2 -= old * old;
    const m = middle[i]!;
    variance -= m * m;
    const sd = isTaZeroOrNeg(variance) ? 0 : Math.sqrt(variance);
    if (devUp === devDown) {
      const d = devUp === 1 ? sd : sd * devUp;
      upper[i] = m + d;
      lower[i] = m - d;
    } else {
      upper[i] = m + (devUp === 1 ? sd : sd * devUp);
      lower[i] = m - (devDown === 1 ? sd : sd * devDown);
    }
  }
  return { upper, middle, lower };
}

/** True range (TA-Lib TRANGE); undefined at index 0 (no previous close). */
export function trange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  for (let i = 1; i < n; i++) out[i] = trueRangeOf(high[i]!, low[i]!, close[i - 1]!);
  return out;
}

/**
 * Average true range with Wilder smoothing (TA-Lib ATR): first value at `period`, the
 * mean of the true ranges of bars 1..period; then `atr = (atr*(period-1) + tr) / period`.
 */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  if (period === 1) return trange(high, low, close);
  const n = close.length;
  const out = nanArray(n);
  if (period >= n) return out;
  // true ranges computed inline (no intermediate column)
  let sum = 0;
  for (let i = 1; i <= period; i++) sum += trueRangeOf(high[i]!, low[i]!, close[i - 1]!);
  let prev = sum / period;
  out[period] = prev;
  for (let i = period + 1; i < n; i++) {
    prev *= period - 1;
    prev += trueRangeOf(high[i]!, low[i]!, close[i - 1]!);
    prev /= period;
    out[i] = prev;
  }
  return out;
}

/** Normalized ATR: ATR / close * 100 (TA-Lib NATR; 0 when close is ~0). */
export function natr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  const out = atr(high, low, close, period);
  for (let i = period; i < out.length; i++) {
    const c = close[i]!;
    out[i] = isTaZero(c) ? 0 : (out[i]! / c) * 100;
  }
  return out;
}
