/**
 * Staging of one decimal column (pure): as exact scaled integers (DOUBLE) when every value has at
 * most 15 digits at the column's widest scale, else as text. DuckDB ingests numbers several times
 * faster than strings, and converts them to DECIMAL(38,18) with exact decimal arithmetic.
 *
 * A column keeps each value's digits as one number (NaN: absent) and its fractional digit count,
 * in plain double arrays (no boxed number per value). Text is kept only when the caller had it
 * anyway (string rows) or when the digits are not exact (over 2^53); otherwise the text form of a
 * column that turns out too wide for doubles is made from the digits at flush time.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { InvalidInputError } from '../../../core/errors.ts';
import {
  checkDecimal,
  type DecimalShape,
  decimalCastSql,
  decimalText,
  MAX_EXACT_DIGITS,
  MAX_FRAC_DIGITS,
  MAX_INT_DIGITS,
  POW10,
  type ScannedDecimal,
  scaledCastSql,
  scanDecimalBytes,
} from '../decimal.ts';

/** One decimal column: digits-as-integer (NaN when absent), fractional digit counts, text where kept. */
export interface DecimalColumn {
  /** The value's text, or undefined when absent or when its digits say it exactly. */
  readonly text: (string | undefined)[];
  readonly digits: number[];
  readonly frac: number[];
  readonly shape: DecimalShape;
}

/** An empty decimal column. */
export function decimalColumn(): DecimalColumn {
  return { text: [], digits: [], frac: [], shape: { intDigits: 0, fracDigits: 0 } };
}

/** Validates `value` (null: absent) and appends it; `scratch` avoids an allocation per value. */
export function pushDecimal(
  field: string,
  col: DecimalColumn,
  value: string | null,
  scratch: ScannedDecimal,
): void {
  if (value === null) {
    col.text.push(undefined);
    col.digits.push(Number.NaN);
    col.frac.push(0);
    return;
  }
  checkDecimal(field, value, col.shape, scratch);
  col.text.push(value);
  col.digits.push(scratch.digits);
  col.frac.push(scratch.frac);
}

/** Text of ASCII bytes (what an error message quotes). */
function bytesText(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}

/**
 * {@link pushDecimal} of the text `buf[start, end)` (start === end: absent) without making a
 * string of it, unless its digits are not exact.
 */
export function pushDecimalBytes(
  field: string,
  col: DecimalColumn,
  buf: Uint8Array,
  start: number,
  end: number,
  scratch: ScannedDecimal,
): void {
  if (start === end) {
    col.text.push(undefined);
    col.digits.push(Number.NaN);
    col.frac.push(0);
    return;
  }
  const r = scanDecimalBytes(buf, start, end, scratch);
  if (r < 0) {
    throw new InvalidInputError(
      field,
      `"${bytesText(buf, start, end)}" is not a decimal string: expected [-]digits[.digits] with at most ${MAX_INT_DIGITS} integer and ${MAX_FRAC_DIGITS} fractional digits, no exponent`,
    );
  }
  const int = r >> 5;
  const frac = r & 31;
  const shape = col.shape;
  if (int > shape.intDigits) shape.intDigits = int;
  if (frac > shape.fracDigits) shape.fracDigits = frac;
  col.text.push(Number.isSafeInteger(scratch.digits) ? undefined : bytesText(buf, start, end));
  col.digits.push(scratch.digits);
  col.frac.push(frac);
}

/** Cuts `col` back to its first `len` values. */
export function truncateDecimal(col: DecimalColumn, len: number): void {
  col.text.length = len;
  col.digits.length = len;
  col.frac.length = len;
}

/** Stage type, values and SELECT expression (aliased `name`) of one decimal column (null: nothing to stage). */
export function stageDecimal(
  name: string,
  col: DecimalColumn,
): { type: 'DOUBLE' | 'VARCHAR'; values: ArrayLike<DuckDBValue>; sql: string } | { type: null; sql: string } {
  const { intDigits, fracDigits } = col.shape;
  const n = col.digits.length;
  let present = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(col.digits[i])) present++;
  // No value at all (e.g. quote quantities a venue does not send): a typed NULL, nothing staged.
  if (present === 0) return { type: null, sql: `NULL::DECIMAL(38,18) AS ${name}` };
  if (intDigits + fracDigits > MAX_EXACT_DIGITS) {
    const values: DuckDBValue[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const d = col.digits[i]!;
      values[i] = Number.isNaN(d) ? null : (col.text[i] ?? decimalText(d, col.frac[i]!));
    }
    return { type: 'VARCHAR', values, sql: `${decimalCastSql(name, col.shape)} AS ${name}` };
  }
  // NaN (absent) stays NaN, which fillStage stages as NULL.
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = col.digits[i]! * POW10[fracDigits - col.frac[i]!]!;
  return { type: 'DOUBLE', values: scaled, sql: `${scaledCastSql(name, fracDigits)} AS ${name}` };
}
