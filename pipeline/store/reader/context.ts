/** What every reader query needs: the catalog, the query runner and the data dir. */
import { join } from 'node:path';
import { InvalidInputError } from '../../../core/errors.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FileEntry } from '../catalog/manifest.ts';
import { catalogKey, checkName } from '../layout.ts';
import type { FileRowCache } from './file-rows.ts';
import type { QueryRunner } from './query-runner.ts';

export interface ReaderContext {
  readonly catalog: Catalog;
  readonly runner: QueryRunner;
  readonly dataDir: string;
  readonly maxRows: number;
  /** Decoded rows of recently read files (latest-bars queries); absent: always SQL. */
  readonly fileRows?: FileRowCache;
}

/** Live files of one series in the current snapshot. */
export function seriesFiles(
  ctx: ReaderContext,
  dataset: string,
  venue: string,
  symbol: string,
): readonly FileEntry[] {
  checkName('venue', venue);
  checkName('symbol', symbol);
  return ctx.catalog.files(ctx.catalog.current(), catalogKey(dataset, venue, symbol));
}

/** Absolute paths of `files`, for `read_parquet`. */
export function filePaths(ctx: ReaderContext, files: readonly FileEntry[]): string[] {
  return files.map((f) => join(ctx.dataDir, f.path));
}

/** Checks an optional epoch-µs bound. */
export function checkTime(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(
      field,
      `${value} is not an epoch time in microseconds (a non-negative integer)`,
    );
  }
  return value;
}

/** Checks a row limit (1..maxRows); default maxRows. */
export function checkLimit(ctx: ReaderContext, value: number | undefined): number {
  if (value === undefined) return ctx.maxRows;
  if (!Number.isSafeInteger(value) || value < 1 || value > ctx.maxRows) {
    throw new InvalidInputError('limit', `${value} is not a row limit: use 1..${ctx.maxRows}`);
  }
  return value;
}

/** Checks how many gaps a coverage answer may list (1..10000, default 100). */
export function checkMaxGaps(value: number | undefined): number {
  if (value === undefined) return 100;
  if (!Number.isSafeInteger(value) || value < 1 || value > 10_000) {
    throw new InvalidInputError('maxGaps', `${value} is not a gap count: use 1..10000`);
  }
  return value;
}

const GONE = /No such file|No files found|IO Error|Cannot open file/i;

/**
 * Runs a query built from the current snapshot; if a file vanished under it (GC after a
 * compaction, past the retention time), rebuilds it from a fresh snapshot once.
 */
export async function withRetry<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (err) {
    if (err instanceof Error && GONE.test(err.message)) return query();
    throw err;
  }
}

/** Latest time µs any reader would accept as "no upper bound". */
export const END_OF_TIME = Number.MAX_SAFE_INTEGER;
