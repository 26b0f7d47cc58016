import { rollingMax, rollingMin } from './kernels/rolling-extremes.ts';
import { isTaZero, nanArray } from './kernels/series.ts';
import { smaFrom } from './kernels/sma.ts';
import { trueRangeOf } from './kernels/true-range.ts';

/**
 * Relative strength index with Wilder smoothing (TA-Lib RSI): the first value, at
 * `period`, uses the plain means of the first `period` gains and losses; then
 * `avg = (avg*(period-1) + x) / period`. 0 when gains + losses is ~0.
 */
export function rsi(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  if (period >= n) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = src[i]! - src[i - 1]!;
    if (d < 0) loss -= d;
    else gain += d;
  }
  loss /= period;
  gain /= period;
  out[period] = isTaZero(gain + loss) ? 0 : 100 * (gain / (gain + loss));
  for (let i = period + 1; i < n; i++) {
    const d = src[i]! - src[i - 1]!;
    loss *= period - 1;
    gain *= period - 1;
    if (d < 0) loss -= d;
    else gain += d;
    loss /= period;
    gain /= period;
    const total = gain + loss;
    out[i] = isTaZero(total) ? 0 : 100 * (gain / total);
  }
  return out;
}

/** Momentum: x - x[period] (TA-Lib MOM). */
export function mom(src: Float64Array, period: number): Float64Array {
  const out = nanArray(src.length);
  for (let i = period; i < src.length; i++) out[i] = src[i]! - src[i - period]!;
  return out;
}

/** Rate of change in percent: (x / x[period] - 1) * 100 (TA-Lib ROC; 0 when x[period] is 0). */
export function roc(src: Float64Array, period: number): Float64Array {
  const out = nanArray(src.length);
  for (let i = period; i < src.length; i++) {
    const old = src[i - period]!;
    out[i] = old !== 0 ? (src[i]! / old - 1) * 100 : 0;
  }
  return out;
}

/** Typical price (h+l+c)/3 per bar. */
export function typicalPrice(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) out[i] = (high[i]! + low[i]! + close[i]!) / 3;
  return out;
}

/**
 * Commodity channel index (TA-Lib CCI): (tp - mean(tp)) / (0.015 * mean |tp - mean|) over
 * `period` typical prices. Sums run in TA-Lib's circular-buffer slot order so values
 * match it to the last bit; 0 when either term is 0.
 */
export function cci(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const ring = new Float64Array(period);
  for (let i = 0; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    ring[i % period] = tp;
    if (i < period - 1) continue;
    let avg = 0;
    for (let j = 0; j < period; j++) avg += ring[j]!;
    avg /= period;
    let dev = 0;
    for (let j = 0; j < period; j++) dev += Math.abs(ring[j]! - avg);
    const diff = tp - avg;
    out[i] = diff !== 0 && dev !== 0 ? diff / (0.015 * (dev / period)) : 0;
  }
  return out;
}

/** Williams %R over `period` bars (TA-Lib WILLR), in -100..0; 0 when the range is flat. */
export function willr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
): Float64Array {
  const out = rollingMax(high, period); // overwritten in place with %R
  const ll = rollingMin(low, period);
  for (let i = period - 1; i < close.length; i++) {
    const hh = out[i]!;
    const diff = (hh - ll[i]!) / -100;
    out[i] = diff !== 0 ? (hh - close[i]!) / diff : 0;
  }
  return out;
}

/** Slow stochastic %K and %D. */
export interface StochResult {
  readonly slowk: Float64Array;
  readonly slowd: Float64Array;
}

/**
 * Slow stochastic with SMA smoothing (TA-Lib STOCH, MA types 0): fast %K over
 * `fastK` bars, %K = SMA(`slowK`) of it, %D = SMA(`slowD`) of %K. Both outputs start at
 * `fastK-1 + slowK-1 + slowD-1` (TA-Lib aligns %K with %D).
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastK: number,
  slowK: number,
  slowD: number,
): StochResult {
  const n = close.length;
  const k = rollingMax(high, fastK); // overwritten in place with fast %K
  const ll = rollingMin(low, fastK);
  for (let i = fastK - 1; i < n; i++) {
    const diff = (k[i]! - ll[i]!) / 100;
    k[i] = diff !== 0 ? (close[i]! - ll[i]!) / diff : 0;
  }
  const slowk = smaFrom(k, slowK, fastK - 1);
  const slowd = smaFrom(slowk, slowD, fastK + slowK - 2);
  const first = fastK + slowK + slowD - 3;
  for (let i = 0; i < first && i < n; i++) slowk[i] = Number.NaN;
  return { slowk, slowd };
}

/**
 * Ultimate oscillator (TA-Lib ULTOSC): weighted 4:2:1 average of buying pressure / true
 * range over three periods (sorted so the shortest gets weight 4). First value at the
 * longest period.
 */
export function ultosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period1: number,
  period2: number,
  period3: number,
): Float64Array {
  const n = close.length;
  const out = nanArray(n);
  const [p1, p2, p3] = [period1, period2, period3].sort((a, b) => a - b) as [number, number, number];
  const start = p3;
  if (start >= n) return out;
  const bp = new Float64Array(n);
  const tr = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const l = low[i]!;
    const pc = close[i - 1]!;
    bp[i] = close[i]! - (l < pc ? l : pc);
    tr[i] = trueRangeOf(high[i]!, l, pc);
  }
  const periods = [p1, p2, p3];
  const a = [0, 0, 0];
  const b = [0, 0, 0];
  for (let p = 0; p < 3; p++) {
    for (let i = start - periods[p]! + 1; i < start; i++) {
      a[p] = a[p]! + bp[i]!;
      b[p] = b[p]! + tr[i]!;
    }
  }
  let [a1, a2, a3] = a as [number, number, number];
  let [b1, b2, b3] = b as [number, number, number];
  for (let today = start; today < n; today++) {
    a1 += bp[today]!;
    a2 += bp[today]!;
    a3 += bp[today]!;
    b1 += tr[today]!;
    b2 += tr[today]!;
    b3 += tr[today]!;
    let value = 0;
    if (!isTaZero(b1)) value += 4 * (a1 / b1);
    if (!isTaZero(b2)) value += 2 * (a2 / b2);
    if (!isTaZero(b3)) value += a3 / b3;
    const t1 = today - p1 + 1;
    const t2 = today - p2 + 1;
    const t3 = today - p3 + 1;
    a1 -= bp[t1]!;
    b1 -= tr[t1]!;
    a2 -= bp[t2]!;
    b2 -= tr[t2]!;
    a3 -= bp[t3]!;
    b3 -= tr[t3]!;
    out[today] = 100 * (value / 7);
  }
  return out;
}
