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
 * TA-Lib's zero test (`TA_IS_ZERO`): |v| < 1e-8. TA-Lib uses it to avoid dividing by
 * (near) zero; matching it keeps outputs equal on flat markets.
 */
export function isTaZero(v: number): boolean {
  return v > -1e-8 && v < 1e-8;
}

/** TA-Lib's `TA_IS_ZERO_OR_NEG`: v < 1e-8. */
export function isTaZeroOrNeg(v: number): boolean {
  return v < 1e-8;
}
