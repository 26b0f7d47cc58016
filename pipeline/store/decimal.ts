/**
 * Decimal strings in and out of the store. Prices, sizes and volumes are stored as
 * DECIMAL(38,18): exact (sums of volumes equal the venue's to the last digit, so bars derived in
 * SQL compare exactly with bars built from trades), wide enough for any venue's tick or lot
 * (18 fractional digits) and for day volumes of meme coins (18 integer digits), and a native
 * Parquet logical type any engine (and Iceberg) reads. DOUBLE was rejected: 0.1 is not a double.
 */
import {
  MAX_FRAC_DIGITS,
  MAX_INT_DIGITS,
  type ScannedDecimal,
  scanDecimal,
} from '../../core/decimal/index.ts';
import { InvalidInputError } from '../../core/errors.ts';

/** Widest integer and fractional digit counts seen in a column; picks the fastest exact cast. */
export interface DecimalShape {
  intDigits: number;
  fracDigits: number;
}

/**
 * Validates one value of a decimal column (core's scanDecimal) and widens the column's `shape`;
 * throws InvalidInputError naming the field and the valid form.
 */
export function checkColumnDecimal(
  field: string,
  value: string,
  shape: DecimalShape,
  out?: ScannedDecimal,
): void {
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
