/**
 * One in-memory DuckDB per store handle. No database file is ever opened, so no process holds a
 * DuckDB file lock another service could trip over; the data is the Parquet files, the truth
 * about which files count is the catalog.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DECIMAL_MACROS_SQL } from '../decimal.ts';

/** A DuckDB connection with the store's macros and settings. */
export interface DuckSession {
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
  const instance = await DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  // Parquet files are immutable and never reuse a name, so caching their footers is safe.
  await connection.run('SET parquet_metadata_cache = true');
  for (const sql of DECIMAL_MACROS_SQL) await connection.run(sql);
  return {
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
