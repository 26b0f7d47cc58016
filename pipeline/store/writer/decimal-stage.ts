/**
 * Staging of one decimal column (pure): as exact scaled integers (DOUBLE) when every value has at
 * most 15 digits at the column's widest scale, else as text. DuckDB ingests numbers several times
 * faster than strings, and converts them to DECIMAL(38,18) with exact decimal arithmetic.
 *
 * A column keeps each value's digits as one number (NaN: absent) and its fractional digit count,
 * in typed arrays (no boxed number, no array growth per value). Text is kept only for values
 * whose digits are not exact (over 2^53); the text form of a column that turns out too wide for
 * doubles is made from the digits at flush time.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import {
  formatScannedDecimal,
  MAX_EXACT_DIGITS,
  MAX_FRAC_DIGITS,
  MAX_INT_DIGITS,
  type ScannedDecimal,
  scanDecimalBytes,
} from '../../../core/decimal/index.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { checkColumnDecimal, type DecimalShape, decimalCastSql, POW10, scaledCastSql } from '../decimal.ts';

/**
 * One decimal column: each value's digits as an integer (NaN when absent) and its fractional
 * digit count, in typed arrays that grow by doubling (and are reused: see {@link resetDecimal}).
 */
export interface DecimalColumn {
  length: number;
  digits: Float64Array;
  frac: Uint8Array;
  /** Text of values whose digits are not exact (over 2^53), by index; null while there is none. */
  text: (string | undefined)[] | null;
  readonly shape: DecimalShape;
}

/** An empty decimal column with room for `capacity` values. */
export function decimalColumn(capacity = 16): DecimalColumn {
  return {
    length: 0,
    digits: new Float64Array(capacity),
    frac: new Uint8Array(capacity),
    text: null,
    shape: { intDigits: 0, fracDigits: 0 },
  };
}

/** Empties `col` for reuse (keeps its arrays). */
export function resetDecimal(col: DecimalColumn): void {
  col.length = 0;
  col.text = null;
  col.shape.intDigits = 0;
  col.shape.fracDigits = 0;
}

function grow(col: DecimalColumn, need: number): void {
  let cap = col.digits.length * 2;
  while (cap < need) cap *= 2;
  const digits = new Float64Array(cap);
  digits.set(col.digits.subarray(0, col.length));
  const frac = new Uint8Array(cap);
  frac.set(col.frac.subarray(0, col.length));
  col.digits = digits;
  col.frac = frac;
}

function append(col: DecimalColumn, digits: number, frac: number, text: string | undefined): void {
  const i = col.length;
  if (i === col.digits.length) grow(col, i + 1);
  col.digits[i] = digits;
  col.frac[i] = frac;
  if (text !== undefined) {
    col.text ??= [];
    col.text[i] = text;
  }
  col.length = i + 1;
}

/** Validates `value` (null: absent) and appends it; `scratch` avoids an allocation per value. */
export function pushDecimal(
  field: string,
  col: DecimalColumn,
  value: string | null,
  scratch: ScannedDecimal,
): void {
  if (value === null) {
    append(col, Number.NaN, 0, undefined);
    return;
  }
  checkColumnDecimal(field, value, col.shape, scratch);
  append(col, scratch.digits, scratch.frac, Number.isSafeInteger(scratch.digits) ? undefined : value);
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
    append(col, Number.NaN, 0, undefined);
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
  const d = scratch.digits;
  append(col, d, frac, Number.isSafeInteger(d) ? undefined : bytesText(buf, start, end));
}

/** Cuts `col` back to its first `len` values. */
export function truncateDecimal(col: DecimalColumn, len: number): void {
  if (len >= col.length) return;
  col.length = len;
  if (col.text !== null && col.text.length > len) col.text.length = len;
}

/** Appends the values of `src` to `dst` (widening its shape). */
export function concatDecimal(dst: DecimalColumn, src: DecimalColumn): void {
  const base = dst.length;
  if (base + src.length > dst.digits.length) grow(dst, base + src.length);
  dst.digits.set(src.digits.subarray(0, src.length), base);
  dst.frac.set(src.frac.subarray(0, src.length), base);
  if (src.text !== null) {
    dst.text ??= [];
    for (let i = 0; i < src.text.length; i++) {
      const t = src.text[i];
      if (t !== undefined) dst.text[base + i] = t;
    }
  }
  dst.length = base + src.length;
  dst.shape.intDigits = Math.max(dst.shape.intDigits, src.shape.intDigits);
  dst.shape.fracDigits = Math.max(dst.shape.fracDigits, src.shape.fracDigits);
}

/** Stage type, values and SELECT expression (aliased `name`) of one decimal column (null: nothing to stage). */
export function stageDecimal(
  name: string,
  col: DecimalColumn,
): { type: 'DOUBLE' | 'VARCHAR'; values: ArrayLike<DuckDBValue>; sql: string } | { type: null; sql: string } {
  const { intDigits, fracDigits } = col.shape;
  const n = col.length;
  let present = false;
  for (let i = 0; i < n && !present; i++) present = !Number.isNaN(col.digits[i]);
  // No value at all (e.g. quote quantities a venue does not send): a typed NULL, nothing staged.
  if (!present) return { type: null, sql: `NULL::DECIMAL(38,18) AS ${name}` };
  if (intDigits + fracDigits > MAX_EXACT_DIGITS) {
    const values: DuckDBValue[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const d = col.digits[i]!;
      values[i] = Number.isNaN(d) ? null : (col.text?.[i] ?? formatScannedDecimal(d, col.frac[i]!));
    }
    return { type: 'VARCHAR', values, sql: `${decimalCastSql(name, col.shape)} AS ${name}` };
  }
  // NaN (absent) stays NaN, which fillStage stages as NULL.
  const scaled = new Float64Array(n);
  for (let i = 0; i < n; i++) scaled[i] = col.digits[i]! * POW10[fracDigits - col.frac[i]!]!;
  return { type: 'DOUBLE', values: scaled, sql: `${scaledCastSql(name, fracDigits)} AS ${name}` };
}
