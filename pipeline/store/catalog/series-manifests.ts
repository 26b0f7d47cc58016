/**
 * Series manifests on disk: reading (whole, or a delta resolved through its parents) with a
 * cache of resolved manifests by file name (names are never reused for other content once
 * committed), and writing a commit's new manifest as a delta when the chain is short enough.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreCorruptError } from '../errors.ts';
import { writeFileDurable } from './fs-atomic.ts';
import {
  DELTA_FORMAT,
  type FileEntry,
  MAX_DELTA_DEPTH,
  type SeriesDelta,
  SeriesDeltaSchema,
  type SeriesManifest,
  SeriesManifestSchema,
  STORE_FORMAT,
} from './manifest.ts';

/** A resolved series manifest: its files, and how it is stored. */
export interface ResolvedManifest {
  readonly manifest: SeriesManifest;
  /** 0 for a whole manifest, else the number of deltas down to the whole one. */
  readonly depth: number;
  /** The parent's file name (deltas only). */
  readonly parent: string | null;
}

/** Reads and writes the series manifests under one `series/` directory. */
export interface SeriesManifests {
  /** The manifest `name`, resolved (cached). Throws StoreCorruptError naming a bad file. */
  get(name: string): ResolvedManifest;
  /** `name` and every manifest it builds on (what GC must keep for it). */
  chain(name: string): string[];
  /**
   * Writes manifest `name` holding `files` (sorted): a delta on `base` (the name the series had)
   * when it has one and the chain stays within {@link MAX_DELTA_DEPTH}, else whole (temp file,
   * fsync, rename; the caller fsyncs the directory). Returns what to
   * {@link SeriesManifests.remember} once the commit is visible, and the write.
   */
  write(
    name: string,
    meta: { dataset: string; venue: string; symbol: string },
    base: string | undefined,
    files: readonly FileEntry[],
    change: { add: readonly FileEntry[]; remove: readonly string[] },
  ): { resolved: ResolvedManifest; written: Promise<void> };
  /** Caches a manifest this process wrote, once its commit is visible. */
  remember(name: string, resolved: ResolvedManifest): void;
}

const MAX_CACHED = 1024;

/** Orders files by start time, then path (the order manifests list them in). */
export function compareFiles(a: FileEntry, b: FileEntry): number {
  return a.minTimeUs - b.minTimeUs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** `parent` without `remove`, plus `add`, in manifest order; null when `remove` names a file `parent` lacks. */
export function applyDelta(
  parent: readonly FileEntry[],
  add: readonly FileEntry[],
  remove: readonly string[],
): FileEntry[] | null {
  let kept: FileEntry[];
  if (remove.length === 0) kept = parent.slice();
  else {
    const drop = new Set(remove);
    kept = parent.filter((f) => !drop.has(f.path));
    if (parent.length - kept.length !== drop.size) return null;
  }
  let inOrder = true;
  for (let i = 0; i < add.length && inOrder; i++) {
    const prev = i === 0 ? kept.at(-1) : add[i - 1];
    inOrder = prev === undefined || compareFiles(prev, add[i]!) <= 0;
  }
  // The usual commit appends newer files: no sort needed.
  for (const f of add) kept.push(f);
  return inOrder ? kept : kept.sort(compareFiles);
}

/** Manifests under `seriesDir`. */
export function createSeriesManifests(seriesDir: string): SeriesManifests {
  const cache = new Map<string, ResolvedManifest>();

  function remember(name: string, resolved: ResolvedManifest): void {
    cache.set(name, resolved);
    if (cache.size > MAX_CACHED) {
      // Oldest first (insertion order); resolved ones stay correct if read again.
      for (const k of cache.keys()) {
        cache.delete(k);
        if (cache.size <= MAX_CACHED / 2) break;
      }
    }
  }

  function load(name: string, seen: number): ResolvedManifest {
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    const path = join(seriesDir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new StoreCorruptError(path, 'series manifest missing, unreadable or not JSON', { cause: err });
    }
    const format = (raw as { format?: unknown } | null)?.format;
    let resolved: ResolvedManifest;
    if (format === DELTA_FORMAT) {
      const parsed = SeriesDeltaSchema.safeParse(raw);
      if (!parsed.success) throw new StoreCorruptError(path, parsed.error.message);
      const d: SeriesDelta = parsed.data;
      if (seen >= MAX_DELTA_DEPTH) throw new StoreCorruptError(path, 'delta chain deeper than allowed');
      const parent = load(d.parent, seen + 1);
      if (parent.depth !== d.depth - 1) {
        throw new StoreCorruptError(path, `depth ${d.depth} does not follow its parent's ${parent.depth}`);
      }
      const files = applyDelta(parent.manifest.files, d.add, d.remove);
      if (files === null)
        throw new StoreCorruptError(path, `removes files its parent ${d.parent} does not list`);
      const { dataset, venue, symbol } = d;
      resolved = {
        manifest: { format: STORE_FORMAT, dataset, venue, symbol, files },
        depth: d.depth,
        parent: d.parent,
      };
    } else {
      const parsed = SeriesManifestSchema.safeParse(raw);
      if (!parsed.success) throw new StoreCorruptError(path, parsed.error.message);
      resolved = { manifest: parsed.data, depth: 0, parent: null };
    }
    remember(name, resolved);
    return resolved;
  }

  return {
    get: (name) => load(name, 0),
    chain(name) {
      const out: string[] = [];
      for (let n: string | null = name; n !== null; n = load(n, 0).parent) out.push(n);
      return out;
    },
    write(name, meta, base, files, change) {
      const parent = base === undefined ? undefined : load(base, 0);
      const path = join(seriesDir, name);
      const manifest: SeriesManifest = { format: STORE_FORMAT, ...meta, files: files as FileEntry[] };
      if (base !== undefined && parent !== undefined && parent.depth < MAX_DELTA_DEPTH) {
        const delta: SeriesDelta = {
          format: DELTA_FORMAT,
          ...meta,
          parent: base,
          depth: parent.depth + 1,
          add: [...change.add],
          remove: [...change.remove],
        };
        const written = writeFileDurable(path, JSON.stringify(delta));
        return { resolved: { manifest, depth: delta.depth, parent: base }, written };
      }
      const written = writeFileDurable(path, JSON.stringify(manifest));
      return { resolved: { manifest, depth: 0, parent: null }, written };
    },
    remember,
  };
}
