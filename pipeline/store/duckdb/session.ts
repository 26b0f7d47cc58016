/**
 * One in-memory DuckDB per store handle. No database file is ever opened, so no process holds a
 * DuckDB file lock another service could trip over; the data is the Parquet files, the truth
 * about which files count is the catalog.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DECIMAL_MACROS_SQL } from '../decimal.ts';

/**
 * The DuckDB bindings. A native module that takes ~150 ms to load, so it is loaded by the first
 * session a process opens (`import()` keeps it), not by importing the store: a process that never
 * queries (an MCP server answering tools/list, a pipeline stage without the store) does not pay.
 */
export type DuckDbApi = typeof import('@duckdb/node-api');

/** A DuckDB connection with the store's macros and settings, and the bindings it came from. */
export interface DuckSession {
  readonly api: DuckDbApi;
  readonly connection: DuckDBConnection;
  close(): void;
}

/** Opens an in-memory DuckDB with `threads` workers and Parquet metadata caching on. */
export async function openDuckSession(options: {
  threads: number;
  memoryLimit: string;
}): Promise<DuckSession> {
  const settings: Record<string, string> = { threads: String(options.threads) };
  if (options.memoryLimit !== '') settings.memory_limit = options.memoryLimit;
  const api = await import('@duckdb/node-api');
  const instance = await api.DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  // Parquet files are immutable and never reuse a name, so caching their footers is safe.
  await connection.run('SET parquet_metadata_cache = true');
  for (const sql of DECIMAL_MACROS_SQL) await connection.run(sql);
  return {
    api,
    connection,
    close: function closeDuckSession() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Quotes a string as a SQL literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
