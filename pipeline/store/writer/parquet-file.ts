/**
 * Writes one immutable Parquet file: DuckDB COPY to a hidden temp name inside the partition
 * directory, fsync, rename to `<part-id>.parquet`. The file is still invisible to readers until
 * the catalog commit that lists it; if the process dies first it is an orphan that GC removes.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../duckdb/session.ts';
import { newPartId } from '../layout.ts';

/** A written, renamed (not yet committed) file. */
export interface WrittenFile {
  /** Path relative to the data dir. */
  readonly path: string;
  readonly bytes: number;
}

/** Temp files start with a dot and end in `.tmp`, so no glob over `*.parquet` ever matches them. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Parquet compression: `zstd` (smallest; compaction output) or `snappy` (~2x larger on trades but
 * cheaper to write: flush files, which compaction soon rewrites). Both read everywhere.
 */
export type ParquetCompression = 'zstd' | 'snappy';

/** Runs `COPY (<selectSql>) TO <partition>/<part>.parquet` crash-safely; returns the file. */
export async function copyToParquet(
  conn: DuckDBConnection,
  dataDir: string,
  relDir: string,
  selectSql: string,
  nowMs: number,
  compression: ParquetCompression = 'zstd',
): Promise<WrittenFile> {
  const absDir = join(dataDir, relDir);
  mkdirSync(absDir, { recursive: true });
  const part = newPartId(nowMs);
  const tmp = join(absDir, `.${part}.parquet.tmp`);
  const finalRel = `${relDir}/${part}.parquet`;
  await conn.run(
    `COPY (${selectSql}) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE 122880)`,
  );
  // The size comes from the open handle the fsync needs anyway (no extra stat).
  const handle = await open(tmp, 'r+');
  let bytes: number;
  try {
    await handle.sync();
    bytes = (await handle.stat()).size;
  } finally {
    await handle.close();
  }
  renameSync(tmp, join(dataDir, finalRel));
  return { path: finalRel, bytes };
}
