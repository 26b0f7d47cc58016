/**
 * Runs registered streaming indicators on FINAL bars, per series and bar period.
 * Forming and revised-but-not-final bars are ignored; a final bar at or before the last
 * one seen (a redelivery) is ignored too, so at-least-once input gives each value once.
 */
import { formatDecimal } from '../../../core/decimal/index.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import type { BarState } from '../bars/bar-state.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';
import { createSma } from './sma.ts';
import type { IndicatorFactory, IndicatorSpec, StreamingIndicator } from './types.ts';

/** One indicator value at one final bar (to bars.indicators). */
export interface IndicatorValue {
  readonly series: string;
  readonly period: string;
  readonly name: string;
  readonly openTimeUs: number;
  readonly closeTimeUs: number;
  /** Canonical decimal string. */
  readonly value: string;
}

/** Indicator kinds by name; `sma` is built in. Add more with `registry.set(kind, factory)`. */
export function createIndicatorRegistry(): Map<string, IndicatorFactory> {
  return new Map<string, IndicatorFactory>([['sma', createSma]]);
}

export interface IndicatorEngineOptions {
  /** Default MA(5) and MA(20). */
  readonly indicators?: readonly IndicatorSpec[];
  readonly registry?: ReadonlyMap<string, IndicatorFactory>;
}

export interface IndicatorEngine {
  /** Feeds one bar update; returns the values it produced (none for non-final bars). */
  onBar(series: string, bar: BarState): IndicatorValue[];
  snapshotSeries(series: string): Uint8Array | undefined;
  restoreSeries(series: string, bytes: Uint8Array): void;
}

interface Track {
  lastOpenUs: number;
  indicators: StreamingIndicator[];
}

const FORMAT = 1;
export const DEFAULT_INDICATORS: readonly IndicatorSpec[] = [
  { kind: 'sma', period: 5 },
  { kind: 'sma', period: 20 },
];

/** Builds the engine; unknown kinds fail here with the list of known ones. */
export function createIndicatorEngine(options: IndicatorEngineOptions = {}): IndicatorEngine {
  const specs = options.indicators ?? DEFAULT_INDICATORS;
  const registry = options.registry ?? createIndicatorRegistry();
  for (const spec of specs) {
    if (!registry.has(spec.kind)) {
      throw new InvalidInputError(
        'indicators.kind',
        `unknown indicator ${JSON.stringify(spec.kind)}; known: ${[...registry.keys()].join(', ')}`,
      );
    }
    registry.get(spec.kind)!(spec); // validates parameters now, not on the first bar
  }
  // series -> bar period -> track
  const tracks = new Map<string, Map<string, Track>>();

  function trackOf(series: string, period: string): Track {
    let byPeriod = tracks.get(series);
    if (byPeriod === undefined) {
      byPeriod = new Map();
      tracks.set(series, byPeriod);
    }
    let t = byPeriod.get(period);
    if (t === undefined) {
      t = { lastOpenUs: Number.NEGATIVE_INFINITY, indicators: specs.map((s) => registry.get(s.kind)!(s)) };
      byPeriod.set(period, t);
    }
    return t;
  }

  return {
    onBar(series, bar) {
      if (!bar.final) return [];
      const t = trackOf(series, bar.period);
      if (bar.openTimeUs <= t.lastOpenUs) return [];
      t.lastOpenUs = bar.openTimeUs;
      const out: IndicatorValue[] = [];
      for (const ind of t.indicators) {
        const v = ind.update(bar);
        if (v !== undefined) {
          out.push({
            series,
            period: bar.period,
            name: ind.name,
            openTimeUs: bar.openTimeUs,
            closeTimeUs: bar.closeTimeUs,
            value: formatDecimal(v),
          });
        }
      }
      return out;
    },
    snapshotSeries(series) {
      const byPeriod = tracks.get(series);
      if (byPeriod === undefined) return undefined;
      const w = new ByteWriter(256).uint(FORMAT).uint(byPeriod.size);
      for (const [period, t] of byPeriod) {
        w.string(period).f64(t.lastOpenUs).uint(t.indicators.length);
        for (const ind of t.indicators) {
          const inner = new ByteWriter(64);
          ind.write(inner);
          w.string(ind.name).bytes(inner.finish());
        }
      }
      return w.finish();
    },
    restoreSeries(series, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'indicators', FORMAT);
      tracks.delete(series);
      const n = r.uint();
      for (let i = 0; i < n; i++) {
        const period = r.string();
        const t = trackOf(series, period);
        t.lastOpenUs = r.f64();
        const m = r.uint();
        for (let j = 0; j < m; j++) {
          const name = r.string();
          const inner = r.bytes();
          // State of an indicator no longer configured is skipped; new ones start unseeded.
          t.indicators.find((x) => x.name === name)?.read(new ByteReader(inner));
        }
      }
    },
  };
}
