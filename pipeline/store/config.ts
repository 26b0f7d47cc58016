/**
 * Store configuration: where the Parquet files and the catalog live, when writers flush,
 * when compaction merges small files and how long replaced files are kept for readers.
 */
import { z } from 'zod';

export const StoreConfigSchema = z
  .object({
    /** Root of the store: `<dataDir>/<dataset>/venue=…/symbol=…/date=…/<part>.parquet` and `<dataDir>/_catalog/`. */
    dataDir: z.string().min(1).default('./data'),
    flush: z
      .object({
        /** A writer flushes as soon as this many rows (all series together) are buffered. */
        maxRows: z.number().int().positive().default(200_000),
        /** A writer flushes buffered rows at least this often (ms); 0 disables the timer. */
        intervalMs: z.number().int().nonnegative().default(5_000),
      })
      .prefault({}),
    compaction: z
      .object({
        /** Files with fewer rows than this are "small" and get merged. */
        smallFileRows: z.number().int().positive().default(500_000),
        /** A partition of today is compacted once it holds this many small files. */
        minFiles: z.number().int().min(2).default(8),
        /** A merged file never exceeds this many rows (the merge stops adding files). */
        maxFileRows: z.number().int().positive().default(5_000_000),
        /** How often the background compactor runs (ms). */
        intervalMs: z.number().int().positive().default(60_000),
      })
      .prefault({}),
    gc: z
      .object({
        /**
         * Files removed from the catalog (or never committed) are deleted after this long (ms). Must
         * exceed the longest query and the longest write-to-commit time of any writer (0 only in tests).
         */
        retentionMs: z
          .number()
          .int()
          .nonnegative()
          .default(10 * 60_000),
        /** Number of old snapshot manifests kept for readers that are mid-query. */
        keepSnapshots: z.number().int().min(1).default(50),
      })
      .prefault({}),
    lock: z
      .object({
        /** A commit lock older than this (ms) is considered abandoned and broken. */
        staleMs: z.number().int().positive().default(30_000),
        /** How long a writer waits for the commit lock before failing with a retriable error (ms). */
        timeoutMs: z.number().int().positive().default(30_000),
      })
      .prefault({}),
    query: z
      .object({
        /** Most rows one reader query returns when the caller gives no smaller limit. */
        maxRows: z.number().int().positive().default(1_000_000),
        /**
         * Rows of query answers a reader keeps, keyed by query and exact file list (files are
         * immutable, so a cached answer is never stale); 0 disables the cache.
         */
        resultCacheRows: z.number().int().nonnegative().default(20_000),
        /**
         * Decoded bar rows a reader keeps per Parquet file (immutable, so never stale) to answer
         * "latest N bars" without re-reading; ~0.5 KB a row; 0 disables (always SQL).
         */
        fileCacheRows: z.number().int().nonnegative().default(100_000),
      })
      .prefault({}),
    duckdb: z
      .object({
        /** DuckDB worker threads of this process's in-memory database. */
        threads: z.number().int().positive().default(2),
        /** DuckDB memory limit, e.g. "1GB"; empty keeps DuckDB's default. */
        memoryLimit: z.string().default(''),
      })
      .prefault({}),
  })
  .readonly();

/** Parsed, read-only store configuration. */
export type StoreConfig = z.output<typeof StoreConfigSchema>;
/** Store configuration as written in config.yaml (every key optional). */
export type StoreConfigInput = z.input<typeof StoreConfigSchema>;

/** Parses store config, failing with the key path of the first bad value. */
export function parseStoreConfig(input: unknown = {}): StoreConfig {
  return StoreConfigSchema.parse(input);
}
