/**
 * The catalog: which Parquet files are live. Readers read `CURRENT` and the manifests it names
 * (never blocking; parsed manifests are cached by immutable file name). Writers commit under the
 * lock: new series manifests, a new snapshot, then `CURRENT` replaced by atomic rename. A crash at
 * any step leaves `CURRENT` naming a complete snapshot whose files all exist.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreConflictError, StoreCorruptError } from '../errors.ts';
import { CATALOG_DIR } from '../layout.ts';
import { allSettled, fsyncDirAsync, writeFileDurable } from './fs-atomic.ts';
import { acquireLock, type LockOptions } from './lock.ts';
import {
  type FileEntry,
  type RemovedEntry,
  type SeriesManifest,
  SnapshotSchema,
  STORE_FORMAT,
  snapshotName,
} from './manifest.ts';
import {
  applyDelta,
  compareFiles,
  createSeriesManifests,
  type ResolvedManifest,
} from './series-manifests.ts';

/** A parsed snapshot: the live series and the recently removed files. */
export interface Snapshot {
  readonly version: number;
  readonly createdMs: number;
  /** Series key -> series manifest file name. */
  readonly series: ReadonlyMap<string, string>;
  readonly removed: readonly RemovedEntry[];
}

/** A file to add to a series. */
export interface AddedFile {
  readonly key: string;
  readonly dataset: string;
  readonly venue: string;
  readonly symbol: string;
  readonly entry: Omit<FileEntry, 'addedVersion'>;
}

/** One atomic catalog change. */
export interface CatalogChange {
  readonly add?: readonly AddedFile[];
  /** Files to drop from the live set; each must still be live, else the commit fails (conflict). */
  readonly remove?: readonly { key: string; path: string }[];
  /** Paths to forget from the removed list (GC deleted them). */
  readonly forget?: readonly string[];
  /**
   * Directories to fsync before the commit point (where the added files were renamed into
   * place); synced alongside the catalog's own files rather than before them.
   */
  readonly syncDirs?: readonly string[];
}

/** Handle on one store's catalog. */
export interface Catalog {
  readonly dataDir: string;
  /** The live snapshot (re-read only when CURRENT changed). */
  current(): Snapshot;
  /** Live files of one series in `snapshot` (empty when the series does not exist). */
  files(snapshot: Snapshot, key: string): readonly FileEntry[];
  /** Series manifest of one series (cached). */
  manifest(snapshot: Snapshot, key: string): SeriesManifest | null;
  /** Series manifest file `name` and the ones it builds on (deltas' parents): what GC must keep. */
  manifestChain(name: string): string[];
  /** Applies `change` atomically; returns the new version. */
  commit(change: CatalogChange): Promise<number>;
}

const EMPTY: Snapshot = { version: 0, createdMs: 0, series: new Map(), removed: [] };

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StoreCorruptError(path, 'catalog file missing or unreadable', { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StoreCorruptError(path, 'catalog file is not JSON', { cause: err });
  }
}

/**
 * Opens the catalog under `dataDir`. Writers pass `create: true` to make its directories; a
 * reader never writes (it may run on a read-only mount) and sees an empty store until the
 * first commit.
 */
export function createCatalog(
  dataDir: string,
  lockOptions: LockOptions,
  options: { create?: boolean } = {},
): Catalog {
  const dir = join(dataDir, CATALOG_DIR);
  const snapDir = join(dir, 'snapshots');
  const seriesDir = join(dir, 'series');
  if (options.create !== false) {
    mkdirSync(snapDir, { recursive: true });
    mkdirSync(seriesDir, { recursive: true });
  }
  const currentPath = join(dir, 'CURRENT');
  let cachedName = '';
  let cached: Snapshot = EMPTY;
  const manifests = createSeriesManifests(seriesDir);

  function readCurrentName(): string {
    try {
      return readFileSync(currentPath, 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }

  function loadSnapshot(name: string): Snapshot {
    const path = join(snapDir, `${name}.json`);
    const parsed = SnapshotSchema.safeParse(readJson(path));
    if (!parsed.success) throw new StoreCorruptError(path, parsed.error.message);
    const s = parsed.data;
    return {
      version: s.version,
      createdMs: s.createdMs,
      series: new Map(Object.entries(s.series)),
      removed: s.removed,
    };
  }

  function current(): Snapshot {
    // A GC pass may delete an old snapshot between reading CURRENT and the snapshot: re-read.
    for (let attempt = 0; ; attempt++) {
      const name = readCurrentName();
      if (name === cachedName) return cached;
      try {
        const snap = name === '' ? EMPTY : loadSnapshot(name);
        cachedName = name;
        cached = snap;
        return snap;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  function manifest(snapshot: Snapshot, key: string): SeriesManifest | null {
    const name = snapshot.series.get(key);
    return name === undefined ? null : manifests.get(name).manifest;
  }

  function files(snapshot: Snapshot, key: string): readonly FileEntry[] {
    return manifest(snapshot, key)?.files ?? [];
  }

  async function commit(change: CatalogChange): Promise<number> {
    const lock = await acquireLock(join(dir, 'LOCK'), lockOptions);
    try {
      const base = current();
      const version = base.version + 1;
      const nowMs = Date.now();
      // Group the change per series.
      const touched = new Map<
        string,
        { meta: [string, string, string]; add: FileEntry[]; remove: Set<string> }
      >();
      const touch = (key: string) => {
        let t = touched.get(key);
        if (t === undefined) {
          const [dataset = '', venue = '', symbol = ''] = key.split('|');
          t = { meta: [dataset, venue, symbol], add: [], remove: new Set() };
          touched.set(key, t);
        }
        return t;
      };
      for (const a of change.add ?? []) touch(a.key).add.push({ ...a.entry, addedVersion: version });
      for (const r of change.remove ?? []) touch(r.key).remove.add(r.path);
      const series = new Map(base.series);
      const removed: RemovedEntry[] = [];
      const forget = new Set(change.forget ?? []);
      for (const r of base.removed) if (!forget.has(r.path)) removed.push(r);
      let n = 0;
      const written: Array<[string, ResolvedManifest]> = [];
      // Every file the new snapshot relies on is written (and fsynced) in parallel on the thread
      // pool, then their directories are fsynced, and only then is CURRENT replaced.
      const writes: Promise<void>[] = (change.syncDirs ?? []).map((d) => fsyncDirAsync(d));
      for (const [key, t] of touched) {
        const old = files(base, key);
        let found = 0;
        for (const f of old) {
          if (t.remove.has(f.path)) {
            found++;
            removed.push({ path: f.path, removedMs: nowMs });
          }
        }
        if (found !== t.remove.size) {
          throw new StoreConflictError(
            `commit removes files of ${key} that are no longer live (compacted elsewhere?)`,
          );
        }
        const add = t.add.sort(compareFiles);
        const remove = [...t.remove];
        // Cannot be null: every removed path was found above.
        const all = applyDelta(old, add, remove) ?? [];
        if (all.length === 0) {
          series.delete(key);
          continue;
        }
        const [dataset, venue, symbol] = t.meta;
        const name = `${snapshotName(version)}-${n++}.json`;
        const meta = { dataset, venue, symbol };
        const m = manifests.write(name, meta, base.series.get(key), all, { add, remove });
        writes.push(m.written);
        written.push([name, m.resolved]);
        series.set(key, name);
      }
      const snapName = snapshotName(version);
      const snap = {
        format: STORE_FORMAT,
        version,
        createdMs: nowMs,
        series: Object.fromEntries(series),
        removed,
      };
      writes.push(writeFileDurable(join(snapDir, `${snapName}.json`), JSON.stringify(snap)));
      // All settled before anything else (and before the lock is released on a failure), so no
      // write of this commit can land after another writer took the lock.
      await allSettled(writes);
      await allSettled(n > 0 ? [fsyncDirAsync(seriesDir), fsyncDirAsync(snapDir)] : [fsyncDirAsync(snapDir)]);
      // The commit point: CURRENT names the new snapshot. Once renamed the commit has happened,
      // so a failing directory fsync after it must not be reported as a failed commit.
      await writeFileDurable(currentPath, `${snapName}\n`);
      // Visible now: a failed commit may rewrite these names, so cache them only past this point.
      for (const [name, m] of written) manifests.remember(name, m);
      try {
        await fsyncDirAsync(dir);
      } catch {
        // Durability of this last step is best effort; visibility is already atomic.
      }
      return version;
    } finally {
      try {
        lock.release();
      } catch {
        // A lock we cannot remove goes stale and is broken by the next writer.
      }
    }
  }

  return { dataDir, current, files, manifest, manifestChain: (name) => manifests.chain(name), commit };
}
