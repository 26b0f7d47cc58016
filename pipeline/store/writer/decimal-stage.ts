/**
 * Staging of one decimal column (pure): as exact scaled integers (DOUBLE) when every value has at
 * most 15 digits at the column's widest scale, else as text. DuckDB ingests numbers several times
 * faster than strings, and converts them to DECIMAL(38,18) with exact decimal arithmetic.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import {
  checkDecimal,
  type DecimalShape,
  decimalCastSql,
  MAX_EXACT_DIGITS,
  POW10,
  type ScannedDecimal,
  scaledCastSql,
} from '../decimal.ts';

/** One decimal column: strings, digits-as-integer and fractional digit counts (null when absent). */
export interface DecimalColumn {
  readonly text: (string | null)[];
  readonly digits: (number | null)[];
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
    col.text.push(null);
    col.digits.push(null);
    col.frac.push(0);
    return;
  }
  checkDecimal(field, value, col.shape, scratch);
  col.text.push(value);
  col.digits.push(scratch.digits);
  col.frac.push(scratch.frac);
}

/** Stage type, values and SELECT expression (aliased `name`) of one decimal column. */
export function stageDecimal(
  name: string,
  col: DecimalColumn,
): { type: 'DOUBLE' | 'VARCHAR'; values: DuckDBValue[]; sql: string } {
  const { intDigits, fracDigits } = col.shape;
  if (intDigits + fracDigits > MAX_EXACT_DIGITS) {
    return { type: 'VARCHAR', values: col.text, sql: `${decimalCastSql(name, col.shape)} AS ${name}` };
  }
  const n = col.digits.length;
  const scaled: DuckDBValue[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const d = col.digits[i]!;
    scaled[i] = d === null ? null : d * POW10[fracDigits - col.frac[i]!]!;
  }
  return { type: 'DOUBLE', values: scaled, sql: `${scaledCastSql(name, fracDigits)} AS ${name}` };
}
