/**
 * Decimal strings in and out of the store. Prices, sizes and volumes are stored as
 * DECIMAL(38,18): exact (sums of volumes equal the venue's to the last digit, so bars derived in
 * SQL compare exactly with bars built from trades), wide enough for any venue's tick or lot
 * (18 fractional digits) and for day volumes of meme coins (18 integer digits), and a native
 * Parquet logical type any engine (and Iceberg) reads. DOUBLE was rejected: 0.1 is not a double.
 */
import { InvalidInputError } from '../../core/errors.ts';

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
export function decimalText(digits: number, frac: number): string {
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

/** Widest integer and fractional digit counts seen in a column; picks the fastest exact cast. */
export interface DecimalShape {
  intDigits: number;
  fracDigits: number;
}

/** Validates one value and widens `shape`; throws naming the field and the valid form. */
export function checkDecimal(field: string, value: string, shape: DecimalShape, out?: ScannedDecimal): void {
  const r = scanDecimal(value, out);
  if (r < 0) {
    throw new InvalidInputError(
      field,
      `"${value}" is not a decimal string: expected [-]digits[.digits] with at most ${MAX_INT_DIGITS} integer and ${MAX_FRAC_DIGITS} fractional digits, no exponent`,
    );
  }
  const int = r >> 5;
  const frac = r & 31;
  if (int > shape.intDigits) shape.intDigits = int;
  if (frac > shape.fracDigits) shape.fracDigits = frac;
}

/**
 * SQL converting the VARCHAR column `col` to DECIMAL(38,18). DuckDB parses strings into
 * 128-bit decimals slowly, so when every value of the batch fits a 64-bit DECIMAL(18,s) the
 * cast goes through that exactly (the shape proves nothing is rounded); otherwise the
 * integer and fractional parts are cast separately as 64-bit decimals and added.
 */
export function decimalCastSql(col: string, shape: DecimalShape): string {
  if (shape.intDigits + shape.fracDigits <= 18) {
    return `${col}::DECIMAL(18,${shape.fracDigits})::DECIMAL(38,18)`;
  }
  return `qf_dec(${col})`;
}

/**
 * SQL converting a DOUBLE column holding scaled integers (value × 10^scale, exact) to
 * DECIMAL(38,18): integer times a decimal unit is exact decimal arithmetic.
 */
export function scaledCastSql(col: string, scale: number): string {
  if (scale === 0) return `${col}::BIGINT::DECIMAL(38,18)`;
  const unit = `0.${'0'.repeat(scale - 1)}1`;
  return `(${col}::BIGINT::DECIMAL(18,0) * '${unit}'::DECIMAL(18,${scale}))::DECIMAL(38,18)`;
}

/** Powers of ten exact as doubles, 10^0..10^18. */
export const POW10: readonly number[] = Array.from({ length: 19 }, (_, k) => 10 ** k);

/** SQL macros every store DuckDB session defines. */
export const DECIMAL_MACROS_SQL = [
  // Exact VARCHAR -> DECIMAL(38,18) for validated strings, via two 64-bit decimal casts.
  `CREATE OR REPLACE MACRO qf_dec(s) AS (CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END) * (split_part(ltrim(s, '-'), '.', 1)::DECIMAL(18,0)::DECIMAL(38,18) + concat('0.', split_part(s, '.', 2), '0')::DECIMAL(18,18))`,
];

/** Canonical form of a decimal string (the form the store returns): "61837.63000000" -> "61837.63". */
export function canonicalDecimal(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

/**
 * The text the store returns for a validated decimal string once stored as DECIMAL(38,18) (what
 * {@link decimalValueToString} gives when reading it back): no leading zeros, no trailing
 * fractional zeros, no sign on zero. `"007.50"` -> `"7.5"`, `"-0.0"` -> `"0"`.
 */
export function storedDecimalText(s: string): string {
  const neg = s.charCodeAt(0) === 45;
  let i = neg ? 1 : 0;
  const dot = s.indexOf('.');
  const intEnd = dot < 0 ? s.length : dot;
  while (i < intEnd - 1 && s.charCodeAt(i) === 48) i++;
  let text = s.slice(i, intEnd);
  if (dot >= 0) {
    let end = s.length;
    while (end > dot + 1 && s.charCodeAt(end - 1) === 48) end--;
    if (end > dot + 1) text = `${text}.${s.slice(dot + 1, end)}`;
  }
  return neg && text !== '0' ? `-${text}` : text;
}

const ZEROS = '000000000000000000000000000000000000000';

/**
 * Canonical text of a DuckDB DECIMAL value read from a result (`DuckDBDecimalValue`: scaled
 * bigint + scale); null and anything else give ''. Formatting here is several times faster than
 * DuckDB's 128-bit DECIMAL -> VARCHAR cast.
 */
export function decimalValueToString(v: unknown): string {
  if (v === null || typeof v !== 'object' || !('value' in v) || !('scale' in v)) return '';
  const scaled = v.value as bigint;
  const scale = v.scale as number;
  let s = scaled.toString();
  const neg = s.charCodeAt(0) === 45;
  if (neg) s = s.slice(1);
  if (scale === 0) return neg ? `-${s}` : s;
  if (s.length <= scale) s = ZEROS.slice(0, scale + 1 - s.length) + s;
  const cut = s.length - scale;
  let end = s.length;
  while (end > cut && s.charCodeAt(end - 1) === 48) end--;
  const text = end === cut ? s.slice(0, cut) : `${s.slice(0, cut)}.${s.slice(cut, end)}`;
  return neg && text !== '0' ? `-${text}` : text;
}
