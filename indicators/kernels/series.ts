/** A Float64Array of `length` NaNs: the "no value yet" fill for warm-up regions. */
export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

/** Index of the first non-NaN value, or `values.length` when there is none. */
export function firstValidIndex(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) return i;
  return values.length;
}

/**
 * TA-Lib's "is zero" band (`TA_EPSILON`). TA-Lib 0.6 uses 1e-14; 0.4 used 1e-8, which
 * zeroed STDDEV/BBANDS on low-priced assets (prices ~1e-3 have variances ~1e-13).
 * Like TA-Lib, a variance below 1e-14 still reads as 0 (quotes under ~1e-5): rescale
 * such prices before computing if that matters.
 */
export const TA_EPSILON = 1e-14;

/** TA-Lib's `TA_IS_ZERO`: |v| < TA_EPSILON. Guards divisions on flat markets. */
export function isTaZero(v: number): boolean {
  return v > -TA_EPSILON && v < TA_EPSILON;
}

/** TA-Lib's `TA_IS_ZERO_OR_NEG`: v < TA_EPSILON. */
export function isTaZeroOrNeg(v: number): boolean {
  return v < TA_EPSILON;
}
