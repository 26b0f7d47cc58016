/**
 * Sequencer: gives every deduplicated trade of a series a strict `seq` 1, 2, 3 … in venue
 * order, so a replay that arrives reordered gets the same numbers (and the same bars).
 *
 * Integer venue ids (Binance: contiguous per symbol) drive the order. The next id
 * (lastId + 1) is released at once — the common live case costs nothing. An id that
 * skips ahead waits in a per-series reorder buffer, sorted by id, until its predecessor
 * arrives, or until event time has moved `reorderWindowUs` past it (the predecessor is
 * then given up on: a real gap), or the buffer holds `maxBuffered` trades, or a clock
 * `advance(nowUs)` passes it. The first trades of a series with no restored state wait
 * the same way, so a reordered start still begins at the lowest id. A gap-filler that
 * comes after its successors were released gets the next seq (it is late; bars order
 * trades by time then seq, so it still lands in the right bar).
 * Items without an integer id (id = NaN) are numbered in arrival order.
 */
import { ByteReader, ByteWriter, expectVersion, StateError } from '../state/index.ts';

export interface SequencerOptions {
  /** How far (event time) a trade may wait for a missing predecessor. Default 2 s. */
  readonly reorderWindowUs?: number;
  /** Trades held per series before the oldest is released regardless. Default 10,000. */
  readonly maxBuffered?: number;
}

/** Encodes buffered items for snapshots (e.g. TradeCodec, or the raw envelope bytes). */
export interface ItemCodec<T> {
  encode(item: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

/** Receives every released item with its series, seq and trade time, in seq order per series. */
export type SequencedSink<T> = (series: string, seq: number, timeUs: number, item: T) => void;

export interface SequencerStats {
  readonly released: number;
  readonly buffered: number;
  /** Ids given up on (a predecessor never came within the window). */
  readonly gaps: number;
  /** Trades released after a successor (gap-fillers past the window). */
  readonly late: number;
}

/** The handle returned by createSequencer. */
export interface Sequencer<T> {
  /** Offers one deduplicated trade; released items go to the sink synchronously. */
  push(series: string, id: number, timeUs: number, item: T): void;
  /** Clock tick: releases buffered trades whose time <= nowUs - reorderWindowUs. */
  advance(nowUs: number): void;
  /** Releases everything buffered (end of a replay). */
  flush(): void;
  /** The last seq given in a series (0 when none). */
  lastSeq(series: string): number;
  takeChanged(): string[];
  snapshotSeries(series: string): Uint8Array | undefined;
  restoreSeries(series: string, bytes: Uint8Array): void;
  snapshot(): Uint8Array;
  restore(bytes: Uint8Array): void;
  stats(): SequencerStats;
}

interface Pending<T> {
  id: number;
  timeUs: number;
  item: T;
}

interface SeriesState<T> {
  seq: number;
  lastId: number;
  maxTimeUs: number;
  buffer: Pending<T>[];
}

const FORMAT = 1;

/** Builds a sequencer writing to `sink`; `codec` is needed only to snapshot buffered trades. */
export function createSequencer<T>(
  sink: SequencedSink<T>,
  options: SequencerOptions = {},
  codec?: ItemCodec<T>,
): Sequencer<T> {
  const windowUs = options.reorderWindowUs ?? 2_000_000;
  const maxBuffered = options.maxBuffered ?? 10_000;
  if (!(windowUs >= 0)) throw new RangeError(`sequencer reorderWindowUs must be >= 0, got ${windowUs}`);
  if (!Number.isInteger(maxBuffered) || maxBuffered < 1) {
    throw new RangeError(`sequencer maxBuffered must be a positive integer, got ${maxBuffered}`);
  }
  const series = new Map<string, SeriesState<T>>();
  const changed = new Set<string>();
  let released = 0;
  let gaps = 0;
  let late = 0;
  let bufferedTotal = 0;

  function stateOf(key: string): SeriesState<T> {
    let s = series.get(key);
    if (s === undefined) {
      s = { seq: 0, lastId: -1, maxTimeUs: Number.NEGATIVE_INFINITY, buffer: [] };
      series.set(key, s);
    }
    return s;
  }

  function emit(key: string, s: SeriesState<T>, id: number, timeUs: number, item: T): void {
    s.seq++;
    if (!Number.isNaN(id) && id > s.lastId) s.lastId = id;
    released++;
    sink(key, s.seq, timeUs, item);
  }

  /** Releases the contiguous head, then whatever the horizon (event or clock time) allows. */
  function drain(key: string, s: SeriesState<T>, horizonUs: number): void {
    const buf = s.buffer;
    let n = 0;
    while (n < buf.length) {
      const head = buf[n]!;
      const contiguous = s.lastId >= 0 && head.id === s.lastId + 1;
      if (!contiguous && head.timeUs > horizonUs && buf.length - n <= maxBuffered) break;
      if (!contiguous && s.lastId >= 0 && head.id > s.lastId + 1) gaps += head.id - s.lastId - 1;
      emit(key, s, head.id, head.timeUs, head.item);
      n++;
    }
    if (n > 0) {
      buf.splice(0, n);
      bufferedTotal -= n;
    }
  }

  function insert(s: SeriesState<T>, p: Pending<T>): void {
    const buf = s.buffer;
    let lo = 0;
    let hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (buf[mid]!.id < p.id) lo = mid + 1;
      else hi = mid;
    }
    buf.splice(lo, 0, p);
    bufferedTotal++;
  }

  return {
    push(key, id, timeUs, item) {
      const s = stateOf(key);
      changed.add(key);
      if (timeUs > s.maxTimeUs) s.maxTimeUs = timeUs;
      if (Number.isNaN(id)) {
        emit(key, s, id, timeUs, item);
        return;
      }
      if (s.buffer.length === 0 && s.lastId >= 0 && id === s.lastId + 1) {
        emit(key, s, id, timeUs, item);
        return;
      }
      if (s.lastId >= 0 && id <= s.lastId) {
        late++;
        emit(key, s, id, timeUs, item);
        return;
      }
      insert(s, { id, timeUs, item });
      drain(key, s, s.maxTimeUs - windowUs);
    },
    advance(nowUs) {
      for (const [key, s] of series) {
        if (s.buffer.length > 0) {
          const before = s.seq;
          drain(key, s, Math.max(s.maxTimeUs, nowUs) - windowUs);
          if (s.seq !== before) changed.add(key);
        }
      }
    },
    flush() {
      for (const [key, s] of series) {
        if (s.buffer.length > 0) {
          drain(key, s, Number.POSITIVE_INFINITY);
          changed.add(key);
        }
      }
    },
    lastSeq: (key) => series.get(key)?.seq ?? 0,
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
      expectVersion(r, 'sequencer', FORMAT);
      setSeries(key, readSeries(r));
    },
    snapshot() {
      const w = new ByteWriter(256).uint(FORMAT).uint(series.size);
      for (const [key, s] of series) writeSeries(w.string(key), s);
      return w.finish();
    },
    restore(bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'sequencer', FORMAT);
      series.clear();
      changed.clear();
      bufferedTotal = 0;
      const n = r.uint();
      for (let i = 0; i < n; i++) setSeries(r.string(), readSeries(r));
    },
    stats: () => ({ released, buffered: bufferedTotal, gaps, late }),
  };

  function setSeries(key: string, s: SeriesState<T>): void {
    bufferedTotal += s.buffer.length - (series.get(key)?.buffer.length ?? 0);
    series.set(key, s);
  }

  function writeSeries(w: ByteWriter, s: SeriesState<T>): void {
    w.uint(s.seq).f64(s.lastId).f64(s.maxTimeUs).uint(s.buffer.length);
    if (s.buffer.length > 0 && codec === undefined) {
      throw new StateError(
        'sequencer has buffered trades but was built without an item codec to snapshot them',
      );
    }
    for (const p of s.buffer) w.f64(p.id).f64(p.timeUs).bytes(codec!.encode(p.item));
  }

  function readSeries(r: ByteReader): SeriesState<T> {
    const s: SeriesState<T> = { seq: r.uint(), lastId: r.f64(), maxTimeUs: r.f64(), buffer: [] };
    const n = r.uint();
    if (n > 0 && codec === undefined) {
      throw new StateError(
        'sequencer snapshot holds buffered trades but no item codec was given to read them',
      );
    }
    for (let i = 0; i < n; i++)
      s.buffer.push({ id: r.f64(), timeUs: r.f64(), item: codec!.decode(r.bytes()) });
    return s;
  }
}
