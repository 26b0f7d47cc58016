/**
 * Staging tables: rows are appended column-wise (data chunks, no per-value SQL) into a temp
 * table of loose types (VARCHAR decimals, DOUBLE integers), then converted exactly while DuckDB
 * copies them into a Parquet file.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { DuckSession } from '../duckdb/session.ts';

/** Columns of one staging table: name and loose type. */
export type StageColumns = readonly (readonly [string, 'VARCHAR' | 'DOUBLE' | 'INTEGER' | 'BOOLEAN'])[];

const CHUNK = 2048;

/** Creates (or empties) the temp table `name`. */
export async function createStage(
  conn: DuckDBConnection,
  name: string,
  columns: StageColumns,
): Promise<void> {
  const cols = columns.map(([n, t]) => `${n} ${t}`).join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${name} (${cols})`);
}

/**
 * Replaces the contents of stage `name` with `values` (one array per column, equal lengths);
 * NaN stages as NULL (number columns use it for absent values, so they stay unboxed doubles);
 * `fresh`: the stage was just created, so there is nothing to delete (saves a statement a flush).
 */
export async function fillStage(
  session: DuckSession,
  name: string,
  columns: StageColumns,
  values: readonly ArrayLike<DuckDBValue>[],
  options: { fresh?: boolean } = {},
): Promise<void> {
  const { connection: conn, api } = session;
  if (options.fresh !== true) await conn.run(`DELETE FROM ${name}`);
  const rows = values[0]?.length ?? 0;
  const types = columns.map(([, t]) => api[t]);
  const appender = await conn.createAppender(name);
  try {
    for (let off = 0; off < rows; off += CHUNK) {
      const n = Math.min(rows - off, CHUNK);
      const chunk = api.DuckDBDataChunk.create(types, n);
      // Straight from the column arrays at `off` (no slice copies of every column per chunk).
      for (let c = 0; c < values.length; c++) {
        const vector = chunk.getColumnVector(c);
        const col = values[c]!;
        for (let i = 0; i < n; i++) {
          const v = col[off + i]!;
          vector.setItem(i, typeof v === 'number' && Number.isNaN(v) ? null : v);
        }
        vector.flush();
      }
      appender.appendDataChunk(chunk);
    }
  } finally {
    appender.closeSync();
  }
}
