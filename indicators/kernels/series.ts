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
 * TA-Lib's "is zero" band (`TA_EPSILON`, 1e-14; TA-Lib 0.4 used 1e-8). Guards divisions
 * on flat markets. Not applied to variances any more (a fixed band on a squared quantity
 * zeroed the deviation of finely quoted assets; see `rolling-variance.ts`), nor to MFI's
 * tie test, which is scaled (`isZeroScaled`), as in TA-Lib 0.8.
 */
export const TA_EPSILON = 1e-14;

/** TA-Lib's `TA_IS_ZERO`: |v| < TA_EPSILON. Guards divisions on flat markets. */
export function isTaZero(v: number): boolean {
  return v > -TA_EPSILON && v < TA_EPSILON;
}

/**
 * `v` is zero within TA_EPSILON of `scale` (the summed magnitudes of the two operands `v`
 * is the difference of): TA-Lib 0.8's scale-aware tie test, ~90 ulp wide.
 */
export function isZeroScaled(v: number, scale: number): boolean {
  return Math.abs(v) <= TA_EPSILON * scale;
}
