/**
 * "The latest N bars" answered from decoded files cached in the reader process. The catalog
 * names the newest files of the series holding N rows (plus any file overlapping them); files
 * not yet cached are taken from the rows the catalog inlines for small files (a new bar just
 * committed, no DuckDB query) or decoded in one DuckDB query, and cached by path; then the revision rule
 * (per open time the highest revision, then the latest written) is applied in JS. Exact and
 * fresh after every commit: a commit only adds files (decoded on first use) or, by compaction,
 * replaces files by new ones; the answer is the one the SQL path gives over the same files.
 */
import { join } from 'node:path';
import type { FileEntry } from '../catalog/manifest.ts';
import { BAR_OUTPUT_SQL } from '../sql/bar-sql.ts';
import type { StoredBar } from '../types.ts';
import { toBars } from './bar-rows.ts';
import { filePaths, type ReaderContext } from './context.ts';
import { type FileBars, type FileRowCache, inlineFileBars } from './file-rows.ts';
import { hasOverlap, newestFiles } from './file-select.ts';
import type { Columns } from './query-runner.ts';

// No ORDER BY (a sort operator costs DuckDB about 1 ms even on one row): rows are grouped per
// file and put in open-time order in JS (files are written sorted, so that is usually a no-op).
const DECODE_SQL = `SELECT ${BAR_OUTPUT_SQL}, version::DOUBLE AS version, filename
  FROM read_parquet($files, hive_partitioning = false, filename = true)`;

/** Splits decoded rows (BAR_OUTPUT_SQL, version, filename) per file, each in open-time order. */
function perFile(period: string, c: Columns): Array<[string, FileBars]> {
  const bars = toBars(period, c);
  const versions = c[16]!;
  const names = c[17]!;
  const rowsOf = new Map<string, number[]>();
  for (let i = 0; i < bars.length; i++) {
    const name = String(names[i]);
    let list = rowsOf.get(name);
    if (list === undefined) {
      list = [];
      rowsOf.set(name, list);
    }
    list.push(i);
  }
  const out: Array<[string, FileBars]> = [];
  for (const [name, list] of rowsOf) {
    let sorted = true;
    for (let k = 1; k < list.length && sorted; k++) {
      sorted = bars[list[k - 1]!]!.openTimeUs <= bars[list[k]!]!.openTimeUs;
    }
    if (!sorted) list.sort((a, b) => bars[a]!.openTimeUs - bars[b]!.openTimeUs);
    out.push([name, { bars: list.map((i) => bars[i]!), versions: list.map((i) => versions[i] as number) }]);
  }
  return out;
}

/**
 * Decoded rows of every file in `files`: cached ones as cached, small files from the rows their
 * catalog entry inlines, the others decoded in one query.
 */
async function loadFiles(
  ctx: ReaderContext,
  cache: FileRowCache,
  period: string,
  files: readonly FileEntry[],
): Promise<FileBars[]> {
  // Keyed by the path relative to the data dir (unique: a file name is never reused).
  const found: Array<FileBars | undefined> = files.map((f) => cache.get(f.path));
  for (let i = 0; i < files.length; i++) {
    const inline = files[i]!.bars;
    if (found[i] !== undefined || inline === undefined) continue;
    const rows = inlineFileBars(period, inline);
    found[i] = rows;
    cache.set(files[i]!.path, rows);
  }
  const missing = files.filter((_, i) => found[i] === undefined);
  if (missing.length > 0) {
    const decoded = await ctx.runner.rows(
      DECODE_SQL,
      { files: filePaths(ctx, missing) },
      `filebars|${period}`,
      (c) => perFile(period, c),
      false,
    );
    const byPath = new Map(decoded);
    for (let i = 0; i < files.length; i++) {
      if (found[i] !== undefined) continue;
      const rel = files[i]!.path;
      const rows = byPath.get(join(ctx.dataDir, rel)) ?? { bars: [], versions: [] };
      found[i] = rows;
      cache.set(rel, rows);
    }
  }
  return found as FileBars[];
}

/** The latest `limit` bars before `toUs` of files with disjoint time ranges. */
function latestDisjoint(
  files: readonly FileEntry[],
  rows: readonly FileBars[],
  toUs: number,
  limit: number,
): StoredBar[] {
  const order = files.map((_, i) => i).sort((a, b) => files[a]!.minTimeUs - files[b]!.minTimeUs);
  const out: StoredBar[] = [];
  for (let k = order.length - 1; k >= 0 && out.length < limit; k--) {
    const bars = rows[order[k]!]!.bars;
    for (let i = bars.length - 1; i >= 0 && out.length < limit; i--) {
      if (bars[i]!.openTimeUs < toUs) out.push(bars[i]!);
    }
  }
  return out.reverse();
}

/** The latest `limit` bars before `toUs`, per open time the highest revision then latest version. */
function latestRevised(rows: readonly FileBars[], toUs: number, limit: number): StoredBar[] {
  const all: Array<{ bar: StoredBar; version: number }> = [];
  for (const r of rows) {
    for (let i = 0; i < r.bars.length; i++) {
      const bar = r.bars[i]!;
      if (bar.openTimeUs < toUs) all.push({ bar, version: r.versions[i]! });
    }
  }
  all.sort(
    (a, b) => b.bar.openTimeUs - a.bar.openTimeUs || b.bar.revision - a.bar.revision || b.version - a.version,
  );
  const out: StoredBar[] = [];
  let last = Number.NaN;
  for (const { bar } of all) {
    if (bar.openTimeUs === last) continue;
    last = bar.openTimeUs;
    out.push(bar);
    if (out.length >= limit) break;
  }
  return out.reverse();
}

/** The latest `limit` bars of `files` before `toUs`, or null when they hold more rows than the cache. */
async function latestOf(
  ctx: ReaderContext,
  cache: FileRowCache,
  period: string,
  files: readonly FileEntry[],
  toUs: number,
  limit: number,
): Promise<StoredBar[] | null> {
  let total = 0;
  for (const f of files) total += f.rows;
  if (total > cache.maxRows) return null;
  const rows = await loadFiles(ctx, cache, period, files);
  return hasOverlap(files) ? latestRevised(rows, toUs, limit) : latestDisjoint(files, rows, toUs, limit);
}

/**
 * The latest `limit` bars of `period` before `toUs` from `files` (one series), in open-time
 * order; null when the files to read hold more rows than the cache (the caller uses SQL).
 */
export async function latestBarsFromCache(
  ctx: ReaderContext,
  cache: FileRowCache,
  files: readonly FileEntry[],
  period: string,
  toUs: number,
  limit: number,
): Promise<StoredBar[] | null> {
  const picked = newestFiles(files, limit, toUs);
  if (picked.length === 0) return [];
  const bars = await latestOf(ctx, cache, period, picked, toUs, limit);
  if (bars === null || bars.length >= limit) return bars;
  // Duplicates across files may leave fewer distinct bars than rows counted: widen once.
  const eligible = files.filter((f) => f.minTimeUs < toUs);
  return picked.length < eligible.length ? latestOf(ctx, cache, period, eligible, toUs, limit) : bars;
}
