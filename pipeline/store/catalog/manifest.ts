/**
 * Catalog file formats (JSON, immutable once written, validated with zod when read).
 *
 * - `_catalog/CURRENT`: the name of the live snapshot, e.g. `v00000042`; replaced by atomic rename.
 * - `_catalog/snapshots/v00000042.json`: one snapshot: for each series, the name of its series
 *   manifest, plus the files removed recently (kept on disk for readers until GC).
 * - `_catalog/series/v00000042-3.json`: one series' live files with their statistics, either whole
 *   (`quantforge-store/1`) or as a delta on a parent manifest (`quantforge-store/1+delta`: the
 *   files added and removed), at most {@link MAX_DELTA_DEPTH} deltas deep before a commit writes
 *   the series whole again.
 *
 * A commit writes only the manifests of the series it touches (as an Iceberg snapshot points at
 * manifest lists), and for those usually only what changed, so a commit stays small however many
 * series and files the store holds, and a reader that has the parent parses only the delta.
 */
import { z } from 'zod';

export const STORE_FORMAT = 'quantforge-store/1';

/**
 * One bar of a small bar file, inlined in its catalog entry (as DuckLake inlines small inserts):
 * `[openTimeUs, closeTimeUs, open, high, low, close, volume, takerBuyVolume, makerVolume,
 * tradeCount, quoteVolume, takerBuyQuoteVolume, revision, final, firstSeq, lastSeq, version]`,
 * decimals as the text the store returns for them ('' for none). Exactly the rows of the Parquet
 * file (which stays the data of record for SQL), in open-time order: a reader answering "latest
 * bars" right after a commit takes them from here instead of decoding the new file.
 */
export const InlineBarSchema = z.tuple([
  z.number(),
  z.number(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
  z.number(),
  z.string(),
  z.string(),
  z.number(),
  z.boolean(),
  z.number(),
  z.number(),
  z.number(),
]);
export type InlineBar = z.infer<typeof InlineBarSchema>;

/** Most rows a bar file may have for its rows to be inlined in the catalog. */
export const INLINE_BAR_ROWS = 16;

/** One live Parquet file and what pruning needs to know about it. */
export const FileEntrySchema = z.object({
  /** Path relative to the data dir. */
  path: z.string(),
  /** UTC date partition, null for unpartitioned datasets (symbols). */
  date: z.string().nullable(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Time range of the rows (trade time or bar open time), epoch µs, inclusive. */
  minTimeUs: z.number(),
  maxTimeUs: z.number(),
  /** Seq range of trades (null for bars and symbols). */
  minSeq: z.number().nullable(),
  maxSeq: z.number().nullable(),
  /** Catalog version that added the file. */
  addedVersion: z.number().int(),
  /** The file's rows, for bar files of at most {@link INLINE_BAR_ROWS} rows (absent otherwise). */
  bars: z.array(InlineBarSchema).max(INLINE_BAR_ROWS).optional(),
});
export type FileEntry = z.infer<typeof FileEntrySchema>;

export const SeriesManifestSchema = z.object({
  format: z.literal(STORE_FORMAT),
  dataset: z.string(),
  venue: z.string(),
  symbol: z.string(),
  files: z.array(FileEntrySchema),
});
export type SeriesManifest = z.infer<typeof SeriesManifestSchema>;

export const DELTA_FORMAT = 'quantforge-store/1+delta';

/** Most deltas between a series manifest and the whole one it builds on. */
export const MAX_DELTA_DEPTH = 32;

/** A series manifest as the change from its parent (another series manifest, whole or delta). */
export const SeriesDeltaSchema = z.object({
  format: z.literal(DELTA_FORMAT),
  dataset: z.string(),
  venue: z.string(),
  symbol: z.string(),
  /** File name of the parent manifest under `series/`. */
  parent: z.string().regex(/^v\d{8}-\d+\.json$/),
  /** Deltas from the whole manifest this builds on (1 for a delta on a whole manifest). */
  depth: z.number().int().min(1).max(MAX_DELTA_DEPTH),
  add: z.array(FileEntrySchema),
  /** Paths of parent files no longer live. */
  remove: z.array(z.string()),
});
export type SeriesDelta = z.infer<typeof SeriesDeltaSchema>;

export const RemovedEntrySchema = z.object({ path: z.string(), removedMs: z.number() });
export type RemovedEntry = z.infer<typeof RemovedEntrySchema>;

export const SnapshotSchema = z.object({
  format: z.literal(STORE_FORMAT),
  version: z.number().int().nonnegative(),
  createdMs: z.number(),
  /** Series key (`dataset|venue|symbol`) -> series manifest file name under `series/`. */
  series: z.record(z.string(), z.string()),
  removed: z.array(RemovedEntrySchema),
});
export type SnapshotFile = z.infer<typeof SnapshotSchema>;

/** File name of snapshot `version`. */
export function snapshotName(version: number): string {
  return `v${String(version).padStart(8, '0')}`;
}
