/**
 * Streaming derived periods (3m … 1w) from 1m bar updates, equal to bars built straight
 * from the trades (mergeBar keeps exact sums and (time, seq) open/close order).
 *
 * Per series and period, a derived bar holds the merge of its FINAL 1m bars ("sealed")
 * plus the latest version of each not-yet-final 1m bar ("live", at most the minutes
 * within lateness + grace). A forming or revised 1m bar replaces its live version; a
 * final one moves into sealed. The derived bar is emitted (coalesced per drain) whenever
 * a constituent changes; if it had been emitted after the watermark passed its close,
 * its own revision goes up by one. It is final once the watermark passes close + grace
 * (`advance(series, watermarkUs)`, fed from the 1m builder's watermark after its updates).
 */

import { type BuiltPeriod, bucketStartUs, DERIVED_PERIODS, PERIOD_US } from '../../../core/periods/index.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';
import type { BarUpdate } from './bar-builder.ts';
import { readBarState, writeBarState } from './bar-codec.ts';
import { type BarState, mergeBar, rebucket } from './bar-state.ts';

export interface BarDeriverOptions {
  /** Periods to derive. Default every period above 1m. */
  readonly periods?: readonly BuiltPeriod[];
  /** Same grace as the 1m builder. Default 10 s. */
  readonly graceUs?: number;
  /** Emit forming derived bars. Default true. */
  readonly emitForming?: boolean;
}

/** The handle returned by createBarDeriver. */
export interface BarDeriver {
  readonly periods: readonly BuiltPeriod[];
  /** Takes one 1m bar update (forming, revised or final). */
  update(series: string, bar1m: BarState): void;
  /** Raises a series' watermark; finalizes derived bars it passes (close + grace). */
  advance(series: string, watermarkUs: number): void;
  /** Raises every known series' watermark to at least `watermarkUs`. */
  advanceAll(watermarkOf: (series: string) => number): void;
  drain(): BarUpdate[];
  snapshotSeries(series: string): Uint8Array | undefined;
  restoreSeries(series: string, bytes: Uint8Array): void;
}

interface Derived {
  period: BuiltPeriod;
  openTimeUs: number;
  sealed: BarState | undefined;
  live: Map<number, BarState>;
  revision: number;
  emitted: boolean;
  revisedSinceEmit: boolean;
  dirty: boolean;
  final: boolean;
}

interface SeriesState {
  watermarkUs: number;
  open: Map<string, Derived>;
}

const FORMAT = 1;

/** Builds a deriver. */
export function createBarDeriver(options: BarDeriverOptions = {}): BarDeriver {
  const periods = options.periods ?? DERIVED_PERIODS;
  const grace = options.graceUs ?? 10_000_000;
  const emitForming = options.emitForming ?? true;
  for (const p of periods) if (p === '1m') throw new RangeError('bar deriver periods must be longer than 1m');
  const series = new Map<string, SeriesState>();
  let dirty: { series: string; d: Derived }[] = [];

  function stateOf(key: string): SeriesState {
    let s = series.get(key);
    if (s === undefined) {
      s = { watermarkUs: Number.NEGATIVE_INFINITY, open: new Map() };
      series.set(key, s);
    }
    return s;
  }

  function markDirty(key: string, d: Derived): void {
    if (!d.dirty) {
      d.dirty = true;
      dirty.push({ series: key, d });
    }
  }

  function currentValue(d: Derived): BarState | undefined {
    let acc: BarState | undefined =
      d.sealed === undefined ? undefined : rebucket(d.sealed, d.period, d.openTimeUs);
    for (const b of d.live.values()) {
      if (acc === undefined) acc = rebucket(b, d.period, d.openTimeUs);
      else mergeBar(acc, b);
    }
    if (acc !== undefined) {
      acc.revision = d.revision;
      acc.final = d.final;
    }
    return acc;
  }

  function advance(key: string, wm: number): void {
    const s = stateOf(key);
    if (wm <= s.watermarkUs) return;
    s.watermarkUs = wm;
    for (const [k, d] of s.open) {
      if (wm >= d.openTimeUs + PERIOD_US[d.period] + grace) {
        d.final = true;
        s.open.delete(k);
        markDirty(key, d);
      }
    }
  }

  return {
    periods,
    update(key, bar) {
      const s = stateOf(key);
      for (const period of periods) {
        const open = bucketStartUs(period, bar.openTimeUs);
        // A 1m update for a derived bar already final cannot happen with equal grace; ignore it.
        if (s.watermarkUs >= open + PERIOD_US[period] + grace) continue;
        const k = `${period}@${open}`;
        let d = s.open.get(k);
        if (d === undefined) {
          d = {
            period,
            openTimeUs: open,
            sealed: undefined,
            live: new Map(),
            revision: 0,
            emitted: false,
            revisedSinceEmit: false,
            dirty: false,
            final: false,
          };
          s.open.set(k, d);
        }
        // Bars only grow by trades, so an equal trade count means the same content (a
        // 1m bar turning final): no new derived version.
        const previous = d.live.get(bar.openTimeUs);
        const changedContent = previous === undefined || previous.tradeCount !== bar.tradeCount;
        if (changedContent && s.watermarkUs >= open + PERIOD_US[period] && d.emitted && !d.revisedSinceEmit) {
          d.revision++;
          d.revisedSinceEmit = true;
        }
        if (bar.final) {
          d.live.delete(bar.openTimeUs);
          if (d.sealed === undefined) d.sealed = rebucket(bar, period, open);
          else mergeBar(d.sealed, bar);
        } else d.live.set(bar.openTimeUs, bar);
        if (changedContent && emitForming) markDirty(key, d);
      }
    },
    advance,
    advanceAll(watermarkOf) {
      for (const key of series.keys()) advance(key, watermarkOf(key));
    },
    drain() {
      const out: BarUpdate[] = [];
      dirty.sort((a, b) => PERIOD_US[a.d.period] - PERIOD_US[b.d.period] || a.d.openTimeUs - b.d.openTimeUs);
      for (const { series: key, d } of dirty) {
        d.dirty = false;
        if (!emitForming && !d.final) continue;
        d.emitted = true;
        d.revisedSinceEmit = false;
        const bar = currentValue(d);
        if (bar !== undefined) out.push({ series: key, bar });
      }
      dirty = [];
      return out;
    },
    snapshotSeries(key) {
      const s = series.get(key);
      if (s === undefined) return undefined;
      const w = new ByteWriter(512).uint(FORMAT).f64(s.watermarkUs).uint(s.open.size);
      for (const d of s.open.values()) {
        w.string(d.period).f64(d.openTimeUs).uint(d.revision);
        w.uint((d.emitted ? 1 : 0) | (d.revisedSinceEmit ? 2 : 0) | (d.dirty ? 4 : 0));
        w.uint(d.sealed === undefined ? 0 : 1);
        if (d.sealed !== undefined) writeBarState(w, d.sealed);
        w.uint(d.live.size);
        for (const b of d.live.values()) writeBarState(w, b);
      }
      return w.finish();
    },
    restoreSeries(key, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'derived bars', FORMAT);
      const s: SeriesState = { watermarkUs: r.f64(), open: new Map() };
      const n = r.uint();
      for (let i = 0; i < n; i++) {
        const period = r.string() as BuiltPeriod;
        const d: Derived = {
          period,
          openTimeUs: r.f64(),
          sealed: undefined,
          live: new Map(),
          revision: r.uint(),
          emitted: false,
          revisedSinceEmit: false,
          dirty: false,
          final: false,
        };
        const flags = r.uint();
        d.emitted = (flags & 1) !== 0;
        d.revisedSinceEmit = (flags & 2) !== 0;
        if (r.uint() === 1) d.sealed = readBarState(r, period);
        const m = r.uint();
        for (let j = 0; j < m; j++) {
          const b = readBarState(r, '1m');
          d.live.set(b.openTimeUs, b);
        }
        s.open.set(`${period}@${d.openTimeUs}`, d);
        if ((flags & 4) !== 0) markDirty(key, d);
      }
      series.set(key, s);
    },
  };
}
