/**
 * Decoded bar rows of Parquet files, cached by file path in the reader process. Files are
 * immutable and a name is never reused, so a cached file is never stale; a commit only adds new
 * files (decoded on first use) and drops old ones from the catalog (they age out of this cache).
 * Bounded by rows, least recently used first out.
 */
import type { InlineBar } from '../catalog/manifest.ts';
import type { StoredBar } from '../types.ts';

/** The bars of one file in open-time order, with each row's writer `version` (for revisions). */
export interface FileBars {
  readonly bars: readonly StoredBar[];
  readonly versions: readonly number[];
}

/** LRU cache of decoded files, bounded by total rows. */
export interface FileRowCache {
  /** Most rows held (files larger than this are never cached). */
  readonly maxRows: number;
  /** The cached rows of `path` (marked recently used), or undefined. */
  get(path: string): FileBars | undefined;
  /** Caches the rows of `path`, evicting least recently used files past `maxRows`. */
  set(path: string, value: FileBars): void;
  /** Rows currently held. */
  rows(): number;
}

/** Creates a cache holding at most `maxRows` rows. */
export function createFileRowCache(maxRows: number): FileRowCache {
  const files = new Map<string, FileBars>();
  let held = 0;
  return {
    maxRows,
    get(path) {
      const hit = files.get(path);
      if (hit !== undefined) {
        // Map iterates in insertion order: re-inserting marks it most recent.
        files.delete(path);
        files.set(path, hit);
      }
      return hit;
    },
    set(path, value) {
      const n = value.bars.length;
      if (n > maxRows) return;
      const old = files.get(path);
      if (old !== undefined) {
        files.delete(path);
        held -= old.bars.length;
      }
      files.set(path, value);
      held += n;
      for (const [k, v] of files) {
        if (held <= maxRows) break;
        files.delete(k);
        held -= v.bars.length;
      }
    },
    rows: () => held,
  };
}

/** The bars a catalog entry inlines (already in open-time order), as decoding the file would give them. */
export function inlineFileBars(period: string, rows: readonly InlineBar[]): FileBars {
  const bars: StoredBar[] = new Array(rows.length);
  const versions: number[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    bars[i] = {
      period,
      openTimeUs: r[0],
      closeTimeUs: r[1],
      open: r[2],
      high: r[3],
      low: r[4],
      close: r[5],
      volume: r[6],
      takerBuyVolume: r[7],
      makerVolume: r[8],
      tradeCount: r[9],
      quoteVolume: r[10],
      takerBuyQuoteVolume: r[11],
      revision: r[12],
      final: r[13],
      firstSeq: r[14],
      lastSeq: r[15],
    };
    versions[i] = r[16];
  }
  return { bars, versions };
}
