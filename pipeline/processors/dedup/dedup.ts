/**
 * Trade deduplication by venue trade id, per series (`VENUE:SYMBOL`, or with a stream
 * suffix when trade and aggTrade ids share a symbol), with bounded state that can be
 * snapshotted to a compacted changelog topic and restored after a restart.
 *
 * Integer ids (Binance: increasing per symbol) use a high-watermark `hwm` plus a bitmap
 * ring of the last `windowIds` ids: an id above hwm is new; an id inside
 * (hwm - windowIds, hwm] is new unless its bit is set (reordered arrivals and duplicates
 * are told apart exactly); an id at or below hwm - windowIds is EXPIRED: it cannot be
 * told apart from a duplicate any more, so it is not passed on — the caller counts it
 * and routes it like a late trade (its bar is long final). Memory per series is
 * windowIds/8 bytes (8 KiB at the default 65,536 ids ≈ 10+ minutes of BTCUSDT).
 *
 * Other ids (strings, or integers past 2^53) use an insertion-ordered set of the last
 * `maxRecentIds` ids per series; past that bound an evicted id that comes back again is
 * NOT recognised (it is passed as new) — venues with such ids must not redeliver that late.
 */
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';

/** What `check` decided about one trade id. */
export type DedupVerdict = 'new' | 'duplicate' | 'expired';

export interface DedupOptions {
  /** Integer ids remembered below the high-watermark; a power of two. Default 65,536. */
  readonly windowIds?: number;
  /** Non-integer ids remembered per series. Default 100,000. */
  readonly maxRecentIds?: number;
}

export interface DedupStats {
  readonly accepted: number;
  readonly duplicates: number;
  readonly expired: number;
  readonly series: number;
}

/** The handle returned by createDeduplicator. */
export interface Deduplicator {
  /** Decides about `tradeId` in `series`, remembering it when new. */
  check(series: string, tradeId: string): DedupVerdict;
  /** Same for an integer id already parsed (0 <= id < 2^53). */
  checkId(series: string, id: number): DedupVerdict;
  /** Series whose state changed since the last call (to write to the changelog), then forgets them. */
  takeChanged(): string[];
  /** State of one series as changelog bytes, or undefined when unknown. */
  snapshotSeries(series: string): Uint8Array | undefined;
  /** Replaces one series' state with changelog bytes. */
  restoreSeries(series: string, bytes: Uint8Array): void;
  /** Whole state (every series). */
  snapshot(): Uint8Array;
  /** Replaces the whole state with `snapshot()` bytes. */
  restore(bytes: Uint8Array): void;
  stats(): DedupStats;
}

interface SeriesState {
  hwm: number;
  /** Lowest integer id seen; ids below it (inside the window) are known unseen. */
  low: number;
  bits: Uint32Array;
  recent: Set<string> | undefined;
}

const FORMAT = 1;
const INT_ID = /^\d{1,15}$/;

/** Builds a deduplicator. Options are checked here, not per call. */
export function createDeduplicator(options: DedupOptions = {}): Deduplicator {
  const windowIds = options.windowIds ?? 65_536;
  const maxRecent = options.maxRecentIds ?? 100_000;
  if (!Number.isInteger(windowIds) || windowIds < 32 || (windowIds & (windowIds - 1)) !== 0) {
    throw new RangeError(`dedup windowIds must be a power of two >= 32, got ${windowIds}`);
  }
  if (!Number.isInteger(maxRecent) || maxRecent < 1) {
    throw new RangeError(`dedup maxRecentIds must be a positive integer, got ${maxRecent}`);
  }
  const mask = windowIds - 1;
  const series = new Map<string, SeriesState>();
  const changed = new Set<string>();
  let accepted = 0;
  let duplicates = 0;
  let expired = 0;

  function stateOf(key: string): SeriesState {
    let s = series.get(key);
    if (s === undefined) {
      s = { hwm: -1, low: -1, bits: new Uint32Array(windowIds >>> 5), recent: undefined };
      series.set(key, s);
    }
    return s;
  }

  function checkId(key: string, id: number): DedupVerdict {
    const s = stateOf(key);
    const bits = s.bits;
    if (id > s.hwm) {
      if (s.hwm < 0 || id - s.hwm >= windowIds) bits.fill(0);
      else for (let k = s.hwm + 1; k < id; k++) bits[(k & mask) >>> 5]! &= ~(1 << (k & 31));
      if (s.hwm < 0) s.low = id;
      s.hwm = id;
    } else if (id <= s.hwm - windowIds) {
      expired++;
      return 'expired';
    } else {
      const slot = id & mask;
      if ((bits[slot >>> 5]! & (1 << (slot & 31))) !== 0) {
        duplicates++;
        return 'duplicate';
      }
      if (id < s.low) s.low = id;
    }
    const slot = id & mask;
    bits[slot >>> 5]! |= 1 << (slot & 31);
    changed.add(key);
    accepted++;
    return 'new';
  }

  function checkText(key: string, tradeId: string): DedupVerdict {
    const s = stateOf(key);
    let recent = s.recent;
    if (recent === undefined) {
      recent = new Set();
      s.recent = recent;
    }
    if (recent.has(tradeId)) {
      duplicates++;
      return 'duplicate';
    }
    recent.add(tradeId);
    if (recent.size > maxRecent) {
      const oldest = recent.values().next().value as string;
      recent.delete(oldest);
    }
    changed.add(key);
    accepted++;
    return 'new';
  }

  function writeSeries(w: ByteWriter, s: SeriesState): void {
    w.uint(windowIds);
    if (s.hwm < 0) w.uint(0);
    else {
      // Ids in [floor, hwm] not seen ("holes"): usually none, since venue ids are contiguous.
      const floor = Math.max(s.low, s.hwm - windowIds + 1);
      const holes: number[] = [];
      for (let id = floor; id <= s.hwm; id++) {
        const slot = id & mask;
        const word = s.bits[slot >>> 5]!;
        if (word === 0xffffffff && (slot & 31) === 0 && id + 31 <= s.hwm) {
          id += 31;
          continue;
        }
        if ((word & (1 << (slot & 31))) === 0) holes.push(id);
      }
      w.uint(1).uint(s.hwm).uint(floor).uint(holes.length);
      for (const h of holes) w.uint(s.hwm - h);
    }
    const recent = s.recent ? [...s.recent] : [];
    w.uint(recent.length);
    for (const id of recent) w.string(id);
  }

  function readSeries(r: ByteReader): SeriesState {
    // The writer's window size; a different current window still restores (ids are replayed).
    r.uint();
    const s: SeriesState = { hwm: -1, low: -1, bits: new Uint32Array(windowIds >>> 5), recent: undefined };
    if (r.uint() === 1) {
      const hwm = r.uint();
      const floor = Math.max(r.uint(), hwm - windowIds + 1);
      const n = r.uint();
      const holes = new Set<number>();
      for (let i = 0; i < n; i++) holes.add(hwm - r.uint());
      s.hwm = hwm;
      s.low = floor;
      for (let id = floor; id <= hwm; id++) {
        if (!holes.has(id)) {
          const slot = id & mask;
          s.bits[slot >>> 5]! |= 1 << (slot & 31);
        }
      }
    }
    const m = r.uint();
    if (m > 0) {
      s.recent = new Set();
      for (let i = 0; i < m; i++) s.recent.add(r.string());
    }
    return s;
  }

  return {
    check(key, tradeId) {
      return INT_ID.test(tradeId) ? checkId(key, Number(tradeId)) : checkText(key, tradeId);
    },
    checkId,
    takeChanged() {
      const out = [...changed];
      changed.clear();
      return out;
    },
    snapshotSeries(key) {
      const s = series.get(key);
      if (s === undefined) return undefined;
      const w = new ByteWriter(64).uint(FORMAT);
      writeSeries(w, s);
      return w.finish();
    },
    restoreSeries(key, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'dedup', FORMAT);
      series.set(key, readSeries(r));
    },
    snapshot() {
      const w = new ByteWriter(256).uint(FORMAT).uint(series.size);
      for (const [key, s] of series) {
        w.string(key);
        writeSeries(w, s);
      }
      return w.finish();
    },
    restore(bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'dedup', FORMAT);
      series.clear();
      changed.clear();
      const n = r.uint();
      for (let i = 0; i < n; i++) {
        const key = r.string();
        series.set(key, readSeries(r));
      }
    },
    stats: () => ({ accepted, duplicates, expired, series: series.size }),
  };
}
