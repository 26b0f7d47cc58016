import { emaFactor, emaFrom } from './kernels/ema.ts';
import { isTaZero, nanArray } from './kernels/series.ts';
import { smaFrom } from './kernels/sma.ts';

/** Simple moving average (TA-Lib SMA); first value at `period - 1`. */
export function sma(src: Float64Array, period: number): Float64Array {
  return smaFrom(src, period, 0);
}

/** Exponential moving average seeded with the SMA of the first `period` values (TA-Lib EMA). */
export function ema(src: Float64Array, period: number): Float64Array {
  return emaFrom(src, period, 0);
}

/** Linearly weighted moving average, weights 1..period (TA-Lib WMA); first value at `period - 1`. */
export function wma(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  if (period - 1 >= n) return out;
  const divider = (period * (period + 1)) / 2;
  // TA-Lib keeps the weighted sum and the plain sum; each step adds period*x and
  // subtracts the plain sum, which shifts every weight down by one.
  let weighted = 0;
  let plain = 0;
  for (let i = 0; i < period - 1; i++) {
    const x = src[i]!;
    plain += x;
    weighted += x * (i + 1);
  }
  let trailingValue = 0;
  let trailing = 0;
  for (let i = period - 1; i < n; i++) {
    const x = src[i]!;
    plain += x;
    plain -= trailingValue;
    weighted += x * period;
    trailingValue = src[trailing++]!;
    out[i] = weighted / divider;
    weighted -= plain;
  }
  return out;
}

/** Double EMA: 2*EMA - EMA(EMA) (TA-Lib DEMA); first value at `2*(period-1)`. */
export function dema(src: Float64Array, period: number): Float64Array {
  const k = emaFactor(period);
  const e1 = emaFrom(src, period, 0, k);
  const out = emaFrom(e1, period, period - 1, k); // EMA(EMA), NaN before 2*(period-1); DEMA in place
  for (let i = 2 * (period - 1); i < src.length; i++) out[i] = 2 * e1[i]! - out[i]!;
  return out;
}

/** Triple EMA: 3*EMA - 3*EMA(EMA) + EMA(EMA(EMA)) (TA-Lib TEMA); first value at `3*(period-1)`. */
export function tema(src: Float64Array, period: number): Float64Array {
  const k = emaFactor(period);
  const e1 = emaFrom(src, period, 0, k);
  const e2 = emaFrom(e1, period, period - 1, k);
  const e3 = emaFrom(e2, period, 2 * (period - 1), k);
  for (let i = 0; i < 3 * (period - 1) && i < src.length; i++) e3[i] = Number.NaN;
  for (let i = 3 * (period - 1); i < src.length; i++) e3[i] = e3[i]! + (3 * e1[i]! - 3 * e2[i]!);
  return e3;
}

/**
 * Triangular moving average (TA-Lib TRIMA): an SMA of an SMA. Odd period n: weights
 * 1,2..(n+1)/2..2,1; even n: 1,2..n/2,n/2..2,1. First value at `period - 1`. Slides the
 * weighted sum in O(1) per bar with TA-Lib's three running sums (the rising half, the
 * falling half, the total) in TA-Lib's order, so values are bit-identical to it.
 */
export function trima(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  if (period - 1 >= n) return out;
  const half = period >> 1;
  const odd = period % 2 === 1;
  const factor = 1 / (odd ? (half + 1) * (half + 1) : half * (half + 1));
  let trailing = 0;
  let middle = odd ? half : half - 1;
  let today = middle + half;
  let numerator = 0;
  let falling = 0; // sum of the older half, each step its weights drop by one
  for (let i = middle; i >= trailing; i--) {
    falling += src[i]!;
    numerator += falling;
  }
  let rising = 0; // sum of the newer half, each step its weights rise by one
  middle++;
  for (let i = middle; i <= today; i++) {
    rising += src[i]!;
    numerator += rising;
  }
  let leaving = src[trailing++]!;
  out[today] = numerator * factor;
  today++;
  while (today < n) {
    numerator -= falling;
    falling -= leaving;
    const mid = src[middle++]!;
    falling += mid;
    if (odd) {
      numerator += rising;
      rising -= mid;
    } else {
      // even periods have two equal middle weights: the middle bar moves halves first
      rising -= mid;
      numerator += rising;
    }
    const x = src[today]!;
    rising += x;
    numerator += x;
    out[today++] = numerator * factor;
    leaving = src[trailing++]!;
  }
  return out;
}

/**
 * Kaufman adaptive moving average (TA-Lib KAMA, fast 2 / slow 30 fixed): efficiency
 * ratio over `period` changes scales the smoothing between 2/3 and 2/31, squared.
 * First value at `period`. Mirrors TA-Lib's quirk of comparing the summed absolute
 * changes with the SIGNED net change (ratio forced to 1 when sum <= net change).
 */
export function kama(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  const out = nanArray(n);
  if (period >= n) return out;
  const constMax = 2 / (30 + 1);
  const constDiff = 2 / (2 + 1) - constMax;
  let sumRoc = 0;
  for (let i = 0; i < period; i++) sumRoc += Math.abs(src[i]! - src[i + 1]!);
  let prev = src[period - 1]!;
  let trailing = 0;
  let trailingValue = src[0]!;
  for (let today = period; today < n; today++) {
    const x = src[today]!;
    const old = src[trailing++]!;
    const netChange = x - old;
    if (today > period) {
      sumRoc -= Math.abs(trailingValue - old);
      sumRoc += Math.abs(x - src[today - 1]!);
    }
    trailingValue = old;
    let er: number;
    if (sumRoc <= netChange || isTaZero(sumRoc)) er = 1;
    else er = Math.abs(netChange / sumRoc);
    let sc = er * constDiff + constMax;
    sc *= sc;
    prev = (x - prev) * sc + prev;
    out[today] = prev;
  }
  return out;
}

/**
 * Hull moving average (not in TA-Lib): WMA(2*WMA(n/2) - WMA(n), sqrt(n)) with n/2 and
 * sqrt(n) rounded down, as Tulip Indicators defines it. First value at
 * `period - 1 + floor(sqrt(period)) - 1`.
 */
export function hma(src: Float64Array, period: number): Float64Array {
  const n = src.length;
  if (period - 1 >= n) return nanArray(n);
  const half = Math.max(1, Math.floor(period / 2));
  const root = Math.max(1, Math.floor(Math.sqrt(period)));
  const full = wma(src, period);
  const fast = half === 1 ? src : wma(src, half);
  // 2*WMA(n/2) - WMA(n), in place over the full-period WMA (NaN before period-1)
  for (let i = period - 1; i < n; i++) full[i] = 2 * fast[i]! - full[i]!;
  if (root === 1) return full;
  const out = nanArray(n);
  const smoothed = wma(full.subarray(period - 1), root);
  out.set(smoothed, period - 1);
  return out;
}
