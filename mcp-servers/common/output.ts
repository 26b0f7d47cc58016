/**
 * Compact tool output: a one-paragraph summary, a bounded CSV table, and past the bound a
 * `series://…` reference to the whole result (never thousands of rows in the agent's context).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SeriesRegistry, Table } from './series-registry.ts';

/** Rows shown when the caller gives no limit. */
export const DEFAULT_TABLE_ROWS = 50;
/** Most rows any answer shows inline. */
export const MAX_TABLE_ROWS = 500;

function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV text of `columns` and `rows` (header line first). */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return lines.join('\n');
}

/** Options of {@link compactTable}. */
export interface CompactTableOptions {
  readonly table: Table;
  /** Rows to show inline (clamped to MAX_TABLE_ROWS). */
  readonly limit?: number;
  /** Which end to show when cut: the newest rows (`tail`, default) or the oldest (`head`). */
  readonly keep?: 'head' | 'tail';
  readonly registry: SeriesRegistry;
  readonly ownerId: string;
  readonly title: string;
}

/** A bounded table and, when rows were cut, the reference holding all of them. */
export interface CompactTable {
  readonly csv: string;
  readonly shown: number;
  readonly total: number;
  readonly uri: string | null;
  /** One line telling the agent what was cut and how to get the rest ('' when nothing was). */
  readonly note: string;
}

/** Cuts `table` to the limit, storing the whole of it as a reference when anything was cut. */
export async function compactTable(options: CompactTableOptions): Promise<CompactTable> {
  const { table } = options;
  const limit = Math.max(0, Math.min(options.limit ?? DEFAULT_TABLE_ROWS, MAX_TABLE_ROWS));
  const total = table.rows.length;
  if (total <= limit) {
    return { csv: toCsv(table.columns, table.rows), shown: total, total, uri: null, note: '' };
  }
  const rows = options.keep === 'head' ? table.rows.slice(0, limit) : table.rows.slice(total - limit);
  const entry = await options.registry.put(options.ownerId, options.title, table);
  const which = options.keep === 'head' ? 'first' : 'last';
  return {
    csv: toCsv(table.columns, rows),
    shown: limit,
    total,
    uri: entry.uri,
    note: `Showing the ${which} ${limit} of ${total} rows; all rows: ${entry.uri} (page with get_series).`,
  };
}

/** A text result made of paragraphs (empty ones dropped). */
export function textResult(...paragraphs: string[]): CallToolResult {
  return { content: [{ type: 'text', text: paragraphs.filter((p) => p !== '').join('\n\n') }] };
}

/** ISO 8601 UTC of an epoch-µs time, to the second (`2024-08-08T23:54:00Z`). */
export function isoOfUs(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A number with up to `digits` significant digits, without exponent noise for prices. */
export function formatNumber(value: number, digits = 8): string {
  if (!Number.isFinite(value)) return '';
  return String(Number(value.toPrecision(digits)));
}
