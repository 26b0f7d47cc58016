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
export function scanDecimal(s: string): number {
  const n = s.length;
  let i = 0;
  if (n > 0 && s.charCodeAt(0) === 45) i = 1; // '-'
  let intDigits = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    intDigits++;
    i++;
  }
  if (intDigits === 0 || intDigits > MAX_INT_DIGITS) return -1;
  if (i === n) return intDigits * 32;
  if (s.charCodeAt(i) !== 46) return -1; // '.'
  i++;
  let fracDigits = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    fracDigits++;
    i++;
  }
  if (fracDigits > MAX_FRAC_DIGITS) return -1;
  return intDigits * 32 + fracDigits;
}

/** Widest integer and fractional digit counts seen in a column; picks the fastest exact cast. */
export interface DecimalShape {
  intDigits: number;
  fracDigits: number;
}

/** Validates one value and widens `shape`; throws naming the field and the valid form. */
export function checkDecimal(field: string, value: string, shape: DecimalShape): void {
  const r = scanDecimal(value);
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

/** SQL macros every store DuckDB session defines. */
export const DECIMAL_MACROS_SQL = [
  // Exact VARCHAR -> DECIMAL(38,18) for validated strings, via two 64-bit decimal casts.
  `CREATE OR REPLACE MACRO qf_dec(s) AS (CASE WHEN starts_with(s, '-') THEN -1 ELSE 1 END) * (split_part(ltrim(s, '-'), '.', 1)::DECIMAL(18,0)::DECIMAL(38,18) + concat('0.', split_part(s, '.', 2), '0')::DECIMAL(18,18))`,
  // Canonical decimal text: no trailing zeros after the point, no bare point ("1.50" -> "1.5", "2.0" -> "2").
  `CREATE OR REPLACE MACRO qf_str(x) AS rtrim(rtrim(x::VARCHAR, '0'), '.')`,
];

/** Canonical form of a decimal string (the form the store returns): "61837.63000000" -> "61837.63". */
export function canonicalDecimal(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
