/**
 * The byte path: scanners that validate a plain decimal (`-?digits[.digits]`) against the
 * decimal shape the product stores — DECIMAL(38,18), at most {@link MAX_INT_DIGITS} integer and
 * {@link MAX_FRAC_DIGITS} fractional digits — and read its digits into one number, as a char
 * or byte loop with no string or bigint per value. The store writer runs them for every price
 * and size it writes; the normalizers check trade values against the same shape. Same verdicts
 * and values as the text and bigint paths (paths.test.ts).
 */

/** Most integer digits accepted (DECIMAL(38,18) holds 20; 18 keeps sums of many values in range). */
export const MAX_INT_DIGITS = 18;
/** Most fractional digits accepted. */
export const MAX_FRAC_DIGITS = 18;

/**
 * Scans a decimal string (`-?digits[.digits]`), returning `intDigits * 32 + fracDigits`, or -1
 * when it is not a plain decimal within DECIMAL(38,18). Written as a char loop: it runs for
 * every price and size written.
 */
export function scanDecimal(s: string, out?: ScannedDecimal): number {
  const n = s.length;
  let i = 0;
  const neg = n > 0 && s.charCodeAt(0) === 45; // '-'
  if (neg) i = 1;
  let intDigits = 0;
  let v = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    intDigits++;
    i++;
  }
  if (intDigits === 0 || intDigits > MAX_INT_DIGITS) return -1;
  let fracDigits = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return -1; // '.'
    i++;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
      v = v * 10 + (c - 48);
      fracDigits++;
      i++;
    }
    if (fracDigits === 0 || fracDigits > MAX_FRAC_DIGITS) return -1;
  }
  if (out !== undefined) {
    out.digits = neg ? -v : v;
    out.frac = fracDigits;
  }
  return intDigits * 32 + fracDigits;
}

/**
 * {@link scanDecimal} over the bytes `buf[start, end)` (ASCII text as read off the bus), so a
 * writer fed record bytes needs no string per value. Same result as scanDecimal on their text.
 */
export function scanDecimalBytes(buf: Uint8Array, start: number, end: number, out?: ScannedDecimal): number {
  let i = start;
  const neg = end > start && buf[start] === 45; // '-'
  if (neg) i++;
  let intDigits = 0;
  let v = 0;
  while (i < end) {
    const c = buf[i]!;
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
    intDigits++;
    i++;
  }
  if (intDigits === 0 || intDigits > MAX_INT_DIGITS) return -1;
  let fracDigits = 0;
  if (i < end) {
    if (buf[i] !== 46) return -1; // '.'
    i++;
    while (i < end) {
      const c = buf[i]!;
      if (c < 48 || c > 57) return -1;
      v = v * 10 + (c - 48);
      fracDigits++;
      i++;
    }
    if (fracDigits === 0 || fracDigits > MAX_FRAC_DIGITS) return -1;
  }
  if (out !== undefined) {
    out.digits = neg ? -v : v;
    out.frac = fracDigits;
  }
  return intDigits * 32 + fracDigits;
}

/**
 * The decimal text of scanned digits whose integer is exact (`Number.isSafeInteger(digits)`):
 * 6183763, frac 2 -> "61837.63"; 1, frac 3 -> "0.001". Equal in value to the scanned text (not
 * always in form: leading or trailing zeros and the sign of zero may differ).
 */
export function formatScannedDecimal(digits: number, frac: number): string {
  let s = String(Math.abs(digits));
  const sign = digits < 0 ? '-' : '';
  if (frac === 0) return sign + s;
  if (s.length <= frac) s = ZEROS.slice(0, frac + 1 - s.length) + s;
  return `${sign}${s.slice(0, s.length - frac)}.${s.slice(s.length - frac)}`;
}

/**
 * The digits of a scanned decimal as one integer (`"61837.63"` -> 6183763, frac 2). Exact when the
 * value has at most 15 digits; callers check the column's {@link DecimalShape} before relying on it.
 */
export interface ScannedDecimal {
  digits: number;
  frac: number;
}

/** Most digits (integer + fractional) for which scaled values are exact JS numbers (< 2^53). */
export const MAX_EXACT_DIGITS = 15;

const ZEROS = '000000000000000000000000000000000000000';
