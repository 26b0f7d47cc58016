/**
 * Partition pruning on the catalog's statistics (pure): which live files a query must read.
 * Whether the chosen files can hold duplicate keys (overlapping ranges: revisions of a bar not
 * yet compacted, a replayed flush) decides if the query pays for deduplication.
 */
import type { FileEntry } from '../catalog/manifest.ts';

/** Files with any row whose time is in [fromUs, toUs). */
export function filesInTimeRange(files: readonly FileEntry[], fromUs: number, toUs: number): FileEntry[] {
  return files.filter((f) => f.maxTimeUs >= fromUs && f.minTimeUs < toUs);
}

/** Files with any row whose seq is in [fromSeq, toSeq]. */
export function filesInSeqRange(files: readonly FileEntry[], fromSeq: number, toSeq: number): FileEntry[] {
  return files.filter(
    (f) => f.minSeq !== null && f.maxSeq !== null && f.maxSeq >= fromSeq && f.minSeq <= toSeq,
  );
}

/** True when two of the files have overlapping key ranges (seq when present, else time). */
export function hasOverlap(files: readonly FileEntry[]): boolean {
  if (files.length < 2) return false;
  const bySeq = files.every((f) => f.minSeq !== null && f.maxSeq !== null);
  const lo = (f: FileEntry) => (bySeq ? f.minSeq! : f.minTimeUs);
  const hi = (f: FileEntry) => (bySeq ? f.maxSeq! : f.maxTimeUs);
  const sorted = [...files].sort((a, b) => lo(a) - lo(b));
  let maxHi = hi(sorted[0]!);
  for (let i = 1; i < sorted.length; i++) {
    const f = sorted[i]!;
    if (lo(f) <= maxHi) return true;
    if (hi(f) > maxHi) maxHi = hi(f);
  }
  return false;
}

/**
 * The newest files holding at least `rows` rows ending before `toUs`, plus every file overlapping
 * them (so a revision in another file is not missed).
 */
export function newestFiles(files: readonly FileEntry[], rows: number, toUs: number): FileEntry[] {
  const eligible = files.filter((f) => f.minTimeUs < toUs).sort((a, b) => b.maxTimeUs - a.maxTimeUs);
  let total = 0;
  let cutoff = Number.POSITIVE_INFINITY;
  for (const f of eligible) {
    if (total >= rows) break;
    total += f.rows;
    if (f.minTimeUs < cutoff) cutoff = f.minTimeUs;
  }
  return eligible.filter((f) => f.maxTimeUs >= cutoff);
}

/** The first file (by time) reaching `timeUs`, and the files overlapping it: where the first row at/after `timeUs` is. */
export function filesAtOrAfter(files: readonly FileEntry[], timeUs: number): FileEntry[] {
  const candidates = files.filter((f) => f.maxTimeUs >= timeUs);
  if (candidates.length === 0) return [];
  let bound = Number.POSITIVE_INFINITY;
  for (const f of candidates) if (f.maxTimeUs < bound) bound = f.maxTimeUs;
  return candidates.filter((f) => f.minTimeUs <= bound);
}

/** The last file (by time) starting at or before `timeUs`, and the files overlapping it. */
export function filesAtOrBefore(files: readonly FileEntry[], timeUs: number): FileEntry[] {
  const candidates = files.filter((f) => f.minTimeUs <= timeUs);
  if (candidates.length === 0) return [];
  let bound = Number.NEGATIVE_INFINITY;
  for (const f of candidates) if (f.minTimeUs > bound) bound = f.minTimeUs;
  return candidates.filter((f) => f.maxTimeUs >= bound);
}
