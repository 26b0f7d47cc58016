/**
 * Garbage collection: deletes files removed from the catalog (compacted away) and files never
 * committed (a writer died between writing and committing) once they are older than the
 * retention time, so no reader still planning with an older snapshot loses a file mid-query.
 * Old snapshots beyond `keepSnapshots` and the series manifests only they used go too.
 */
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { CATALOG_DIR, SYMBOLS_DATASET, TRADES_DATASET } from '../layout.ts';

/** What one GC pass deleted. */
export interface GcReport {
  readonly removedFiles: number;
  readonly orphanFiles: number;
  readonly snapshots: number;
  readonly seriesManifests: number;
}

function unlinkQuiet(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

function* walk(dir: string): Generator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else yield p;
  }
}

function olderThan(path: string, cutoffMs: number): boolean {
  try {
    return statSync(path).mtimeMs < cutoffMs;
  } catch {
    return false;
  }
}

/** Runs one GC pass over the store of `catalog`. */
export async function collectGarbage(
  catalog: Catalog,
  options: { retentionMs: number; keepSnapshots: number; nowMs?: number },
): Promise<GcReport> {
  const now = options.nowMs ?? Date.now();
  const cutoff = now - options.retentionMs;
  const dataDir = catalog.dataDir;
  const snap = catalog.current();
  // 1. Files compacted away long enough ago.
  const forget: string[] = [];
  let removedFiles = 0;
  for (const r of snap.removed) {
    if (r.removedMs >= cutoff) continue;
    if (unlinkQuiet(join(dataDir, r.path))) removedFiles++;
    forget.push(r.path);
  }
  if (forget.length > 0) await catalog.commit({ forget });
  // 2. Orphans: Parquet files (and temp files) no snapshot knows, old enough not to be a commit in flight.
  const known = new Set<string>(snap.removed.map((r) => r.path));
  for (const key of snap.series.keys()) for (const f of catalog.files(snap, key)) known.add(f.path);
  let orphanFiles = 0;
  for (const top of readdirSync(dataDir)) {
    // Only the store's own dataset folders: other components may keep files under the same dir.
    if (!isDatasetDir(top)) continue;
    for (const abs of walk(join(dataDir, top))) {
      const rel = relative(dataDir, abs).split('\\').join('/');
      const isData = rel.endsWith('.parquet') || rel.endsWith('.parquet.tmp');
      if (!isData || known.has(rel) || !olderThan(abs, cutoff)) continue;
      // Re-check against the newest snapshot: the file may have been committed since.
      const latest = catalog.current();
      if (latest.version !== snap.version && isLive(catalog, rel)) continue;
      if (unlinkQuiet(abs)) orphanFiles++;
    }
  }
  // 3. Old snapshots and the series manifests only they referenced (directly or as a delta's parent).
  const snapDir = join(dataDir, CATALOG_DIR, 'snapshots');
  const seriesDir = join(dataDir, CATALOG_DIR, 'series');
  const names = readdirSync(snapDir)
    .filter((n) => /^v\d+\.json$/.test(n))
    .sort();
  const currentName = `v${String(catalog.current().version).padStart(8, '0')}.json`;
  const keep = names.slice(-options.keepSnapshots);
  if (!keep.includes(currentName)) keep.push(currentName);
  let snapshots = 0;
  for (const n of names) if (!keep.includes(n) && unlinkQuiet(join(snapDir, n))) snapshots++;
  const referenced = new Set<string>();
  for (const n of keep) {
    try {
      const s = JSON.parse(readFileSync(join(snapDir, n), 'utf8')) as { series?: Record<string, string> };
      // A delta manifest needs its parents too.
      for (const v of Object.values(s.series ?? {}))
        for (const m of catalog.manifestChain(v)) referenced.add(m);
    } catch {
      return { removedFiles, orphanFiles, snapshots, seriesManifests: 0 };
    }
  }
  const oldest = keep.sort()[0]?.slice(0, 9) ?? '';
  let seriesManifests = 0;
  for (const n of readdirSync(seriesDir)) {
    // Only manifests older than every kept snapshot (a newer one may belong to a commit in progress).
    if (referenced.has(n) || n.slice(0, 9) >= oldest) continue;
    if (unlinkQuiet(join(seriesDir, n))) seriesManifests++;
  }
  return { removedFiles, orphanFiles, snapshots, seriesManifests };
}

function isDatasetDir(name: string): boolean {
  return name === TRADES_DATASET || name === SYMBOLS_DATASET || /^bars_\d+[mhdwM]$/.test(name);
}

function isLive(catalog: Catalog, rel: string): boolean {
  const s = catalog.current();
  if (s.removed.some((r) => r.path === rel)) return true;
  for (const key of s.series.keys()) if (catalog.files(s, key).some((f) => f.path === rel)) return true;
  return false;
}
