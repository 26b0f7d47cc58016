/**
 * The streaming trade→bar core for one period (1m in the pipeline), over many series.
 *
 * Finality is decided by an event-time watermark per series: watermark = max(trade time
 * seen − allowedLateness, clock floor from `advance(nowUs)`). A bar [open, close) is
 * closed once watermark >= close and final once watermark >= close + grace.
 * - A trade for a bar that is not final is added. If that bar is closed and was already
 *   emitted, its `revision` goes up by one (once per emission: several late trades
 *   between two drains make one revision).
 * - A trade for a final bar is LATE: `add` returns 'late', the bar is not touched, the
 *   caller routes the trade to `bars.late`; `stats().late` counts them.
 * - Gap policy: a minute without trades has no bar (like freqtrade; Binance klines
 *   would print an empty bar at the previous close). Consumers that need a continuous
 *   series forward-fill at query time.
 * Emission: `drain()` returns every bar changed since the last drain once, in change
 * order — forming bars (final=false) when `emitForming`, then the final version exactly
 * once. Final bars leave the state, so memory is bounded by the bars within
 * lateness + grace of the watermark, per series.
 */

import { type BuiltPeriod, bucketStartUs, PERIOD_US } from '../../../core/periods/index.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';
import { readBarState, writeBarState } from './bar-codec.ts';
import { addTrade, type BarState, type BarTrade, newBar } from './bar-state.ts';

export interface BarBuilderOptions {
  /** Default '1m'. */
  readonly period?: BuiltPeriod;
  /** How far behind the newest trade time the watermark trails. Default 2 s. */
  readonly allowedLatenessUs?: number;
  /** How long after a bar closes late trades may still revise it. Default 10 s. */
  readonly graceUs?: number;
  /** Emit forming (not yet final) bars from drain(). Default true. */
  readonly emitForming?: boolean;
}

/** What happened to one trade. */
export type BarAddResult = 'added' | 'revised' | 'late';

/** A bar leaving drain(): a copy, safe to keep. */
export interface BarUpdate {
  readonly series: string;
  readonly bar: BarState;
}

export interface BarBuilderStats {
  readonly trades: number;
  readonly late: number;
  readonly revisions: number;
  readonly finals: number;
  readonly openBars: number;
}

/** The handle returned by createBarBuilder. */
export interface BarBuilder {
  readonly period: BuiltPeriod;
  add(series: string, trade: BarTrade): BarAddResult;
  /** Clock tick: raises every series' watermark to at least nowUs − allowedLateness. */
  advance(nowUs: number): void;
  /** Bars changed since the last drain (forming, revised, final), each once. */
  drain(): BarUpdate[];
  /** Current watermark of a series (−Infinity before its first trade). */
  watermark(series: string): number;
  takeChanged(): string[];
  snapshotSeries(series: string): Uint8Array | undefined;
  restoreSeries(series: string, bytes: Uint8Array): void;
  snapshot(): Uint8Array;
  restore(bytes: Uint8Array): void;
  stats(): BarBuilderStats;
}

interface OpenBar extends BarState {
  emitted: boolean;
  revisedSinceEmit: boolean;
  dirty: boolean;
}

interface SeriesState {
  maxTimeUs: number;
  bars: Map<number, OpenBar>;
  /** Last bar touched: the fast path for the next trade. */
  current: OpenBar | undefined;
  /** Smallest close + grace among open bars (Infinity when none). */
  nextFinalUs: number;
}

const FORMAT = 1;

/** Builds a bar builder. Options are checked here. */
export function createBarBuilder(options: BarBuilderOptions = {}): BarBuilder {
  const period = options.period ?? '1m';
  const lateness = options.allowedLatenessUs ?? 2_000_000;
  const grace = options.graceUs ?? 10_000_000;
  const emitForming = options.emitForming ?? true;
  if (!(lateness >= 0)) throw new RangeError(`bars allowedLatenessUs must be >= 0, got ${lateness}`);
  if (!(grace >= 0)) throw new RangeError(`bars graceUs must be >= 0, got ${grace}`);
  const len = PERIOD_US[period];
  const series = new Map<string, SeriesState>();
  const changed = new Set<string>();
  let dirty: { series: string; bar: OpenBar }[] = [];
  let clockFloorUs = Number.NEGATIVE_INFINITY;
  let trades = 0;
  let late = 0;
  let revisions = 0;
  let finals = 0;
  let openBars = 0;

  function stateOf(key: string): SeriesState {
    let s = series.get(key);
    if (s === undefined) {
      s = {
        maxTimeUs: Number.NEGATIVE_INFINITY,
        bars: new Map(),
        current: undefined,
        nextFinalUs: Number.POSITIVE_INFINITY,
      };
      series.set(key, s);
    }
    return s;
  }

  const watermarkOf = (s: SeriesState): number => Math.max(s.maxTimeUs - lateness, clockFloorUs);

  function markDirty(key: string, bar: OpenBar): void {
    if (!bar.dirty) {
      bar.dirty = true;
      dirty.push({ series: key, bar });
    }
  }

  function finalize(key: string, s: SeriesState, wm: number): void {
    if (wm < s.nextFinalUs) return;
    const done: OpenBar[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const bar of s.bars.values()) {
      const at = bar.closeTimeUs + grace;
      if (wm >= at) done.push(bar);
      else if (at < next) next = at;
    }
    s.nextFinalUs = next;
    done.sort((a, b) => a.openTimeUs - b.openTimeUs);
    for (const bar of done) {
      s.bars.delete(bar.openTimeUs);
      if (s.current === bar) s.current = undefined;
      bar.final = true;
      finals++;
      openBars--;
      markDirty(key, bar);
    }
    changed.add(key);
  }

  function add(key: string, t: BarTrade): BarAddResult {
    const s = stateOf(key);
    trades++;
    if (t.timeUs > s.maxTimeUs) s.maxTimeUs = t.timeUs;
    const wm = watermarkOf(s);
    let bar = s.current;
    let result: BarAddResult = 'added';
    if (bar === undefined || t.timeUs < bar.openTimeUs || t.timeUs >= bar.closeTimeUs) {
      const open = period === '1m' ? Math.floor(t.timeUs / len) * len : bucketStartUs(period, t.timeUs);
      if (wm >= open + len + grace) {
        late++;
        return 'late';
      }
      bar = s.bars.get(open);
      if (bar === undefined) {
        bar = newBar(period, open, t) as OpenBar;
        bar.emitted = false;
        bar.revisedSinceEmit = false;
        bar.dirty = false;
        s.bars.set(open, bar);
        openBars++;
        const at = bar.closeTimeUs + grace;
        if (at < s.nextFinalUs) s.nextFinalUs = at;
        s.current = bar;
        changed.add(key);
        if (emitForming) markDirty(key, bar);
        finalize(key, s, wm);
        return result;
      }
      s.current = bar;
    }
    if (wm >= bar.closeTimeUs && bar.emitted && !bar.revisedSinceEmit) {
      bar.revision++;
      bar.revisedSinceEmit = true;
      revisions++;
      result = 'revised';
    }
    addTrade(bar, t);
    changed.add(key);
    if (emitForming) markDirty(key, bar);
    finalize(key, s, wm);
    return result;
  }

  return {
    period,
    add,
    advance(nowUs) {
      const floor = nowUs - lateness;
      if (floor <= clockFloorUs) return;
      clockFloorUs = floor;
      for (const [key, s] of series) finalize(key, s, watermarkOf(s));
    },
    drain() {
      const out: BarUpdate[] = [];
      // Time order per series, whatever order the bars changed in (stable sort).
      dirty.sort((a, b) => a.bar.openTimeUs - b.bar.openTimeUs);
      for (const d of dirty) {
        const b = d.bar;
        b.dirty = false;
        b.emitted = true;
        b.revisedSinceEmit = false;
        out.push({ series: d.series, bar: toPlain(b) });
      }
      dirty = [];
      return out;
    },
    watermark(key) {
      const s = series.get(key);
      return s === undefined ? Number.NEGATIVE_INFINITY : watermarkOf(s);
    },
    takeChanged() {
      const out = [...changed];
      changed.clear();
      return out;
    },
    snapshotSeries(key) {
      const s = series.get(key);
      if (s === undefined) return undefined;
      const w = new ByteWriter(256).uint(FORMAT);
      writeSeries(w, s);
      return w.finish();
    },
    restoreSeries(key, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'bars', FORMAT);
      setSeries(key, readSeries(r, key));
    },
    snapshot() {
      const w = new ByteWriter(1024).uint(FORMAT).f64(clockFloorUs).uint(series.size);
      for (const [key, s] of series) writeSeries(w.string(key), s);
      return w.finish();
    },
    restore(bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'bars', FORMAT);
      series.clear();
      changed.clear();
      dirty = [];
      openBars = 0;
      clockFloorUs = r.f64();
      const n = r.uint();
      for (let i = 0; i < n; i++) {
        const key = r.string();
        setSeries(key, readSeries(r, key));
      }
    },
    stats: () => ({ trades, late, revisions, finals, openBars }),
  };

  function setSeries(key: string, s: SeriesState): void {
    openBars += s.bars.size - (series.get(key)?.bars.size ?? 0);
    series.set(key, s);
  }

  function writeSeries(w: ByteWriter, s: SeriesState): void {
    w.f64(s.maxTimeUs).uint(s.bars.size);
    for (const b of s.bars.values()) {
      writeBarState(w, b);
      w.uint((b.emitted ? 1 : 0) | (b.revisedSinceEmit ? 2 : 0) | (b.dirty ? 4 : 0));
    }
  }

  function readSeries(r: ByteReader, key: string): SeriesState {
    const s: SeriesState = {
      maxTimeUs: r.f64(),
      bars: new Map(),
      current: undefined,
      nextFinalUs: Number.POSITIVE_INFINITY,
    };
    const n = r.uint();
    for (let i = 0; i < n; i++) {
      const bar = readBarState(r, period) as OpenBar;
      const flags = r.uint();
      bar.emitted = (flags & 1) !== 0;
      bar.revisedSinceEmit = (flags & 2) !== 0;
      bar.dirty = false;
      // A bar dirty at snapshot time was not drained into that transaction: emit it again.
      if ((flags & 4) !== 0 && emitForming) markDirty(key, bar);
      s.bars.set(bar.openTimeUs, bar);
      const at = bar.closeTimeUs + grace;
      if (at < s.nextFinalUs) s.nextFinalUs = at;
    }
    return s;
  }
}

function toPlain(b: OpenBar): BarState {
  return {
    period: b.period,
    openTimeUs: b.openTimeUs,
    closeTimeUs: b.closeTimeUs,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    takerBuyVolume: b.takerBuyVolume,
    makerVolume: b.makerVolume,
    quoteVolume: b.quoteVolume,
    takerBuyQuoteVolume: b.takerBuyQuoteVolume,
    tradeCount: b.tradeCount,
    firstSeq: b.firstSeq,
    lastSeq: b.lastSeq,
    openKeyTime: b.openKeyTime,
    openKeySeq: b.openKeySeq,
    closeKeyTime: b.closeKeyTime,
    closeKeySeq: b.closeKeySeq,
    revision: b.revision,
    final: b.final,
  };
}
