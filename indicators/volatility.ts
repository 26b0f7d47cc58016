import { rollingVariance } from './kernels/rolling-variance.ts';
import { isTaZero, nanArray } from './kernels/series.ts';
import { smaFrom } from './kernels/sma.ts';
import { trueRangeOf } from './kernels/true-range.ts';

/**
 * Standard deviation (population) over `period`, times `nbDev` (TA-Lib STDDEV). The
 * variance is the cancellation-free rolling one (`rollingVariance`), as in current TA-Lib;
 * the old running E[x²] - E[x]² lost ~9 digits at BTC prices. No epsilon cut-off: a
 * finely quoted series (variance under 1e-14) keeps its deviation, a flat window is 0.
 */
export function stddev(src: Float64Array, period: number, nbDev = 1): Float64Array {
  const out = rollingVariance(src, period);
  for (let i = period - 1; i < out.length; i++) out[i] = Math.sqrt(out[i]!) * nbDev;
  return out;
}

/** Bollinger bands: upper, middle (SMA) and lower. */
export interface BbandsResult {
  readonly upper: Float64Array;
  readonly middle: Float64Array;
  readonly lower: Float64Array;
}

/**
 * Bollinger bands with an SMA middle (TA-Lib BBANDS, MA type 0): the middle is TA-Lib's
 * running-sum SMA, the bands add and subtract the population std (`stddev`'s stable
 * variance) times `devUp` / `devDown`.
 */
export function bbands(src: Float64Array, period: number, devUp = 2, devDown = 2): BbandsResult {
  const n = src.length;
  const middle = smaFrom(src, period, 0);
  const upper = rollingVariance(src, period);
  const lower = nanArray(n);
  for (let i = period - 1; i < n; i++) {
    const sd = Math.sqrt(upper[i]!);
    const m = middle[i]!;
    if (devUp === devDown) {
      const d = sd * devUp;
      upper[i] = m + d;
      lower[i] = m - d;
    } else {
      upper[i] = m + sd * devUp;
      lower[i] = m - sd * devDown;
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
