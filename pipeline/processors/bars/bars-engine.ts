/**
 * The bars processor core: a 1m BarBuilder feeding a BarDeriver, sharing one watermark
 * per series, with one state blob per series for the `state.bars` changelog.
 */

import { type BuiltPeriod, DERIVED_PERIODS } from '../../../core/periods/index.ts';
import { ByteReader, ByteWriter, expectVersion } from '../state/index.ts';
import { type BarAddResult, type BarBuilderStats, type BarUpdate, createBarBuilder } from './bar-builder.ts';
import type { BarTrade } from './bar-state.ts';
import { createBarDeriver } from './derive.ts';

export interface BarsEngineOptions {
  /** Derived periods. Default all (3m … 1w). */
  readonly periods?: readonly BuiltPeriod[];
  readonly allowedLatenessUs?: number;
  readonly graceUs?: number;
  readonly emitForming?: boolean;
}

/** What one drain produced: 1m bar updates and derived bar updates. */
export interface BarsOutput {
  readonly bars1m: BarUpdate[];
  readonly derived: BarUpdate[];
}

export interface BarsEngine {
  add(series: string, trade: BarTrade): BarAddResult;
  advance(nowUs: number): void;
  drain(): BarsOutput;
  takeChanged(): string[];
  snapshotSeries(series: string): Uint8Array | undefined;
  restoreSeries(series: string, bytes: Uint8Array): void;
  stats(): BarBuilderStats;
}

const FORMAT = 1;

/** Builds the 1m + derived bars core. */
export function createBarsEngine(options: BarsEngineOptions = {}): BarsEngine {
  const graceUs = options.graceUs ?? 10_000_000;
  const common = { graceUs, emitForming: options.emitForming ?? true };
  const builder = createBarBuilder({
    ...common,
    period: '1m',
    allowedLatenessUs: options.allowedLatenessUs ?? 2_000_000,
  });
  const deriver = createBarDeriver({ ...common, periods: options.periods ?? DERIVED_PERIODS });

  return {
    add: (series, trade) => builder.add(series, trade),
    advance: (nowUs) => builder.advance(nowUs),
    drain() {
      const bars1m = builder.drain();
      for (const u of bars1m) deriver.update(u.series, u.bar);
      deriver.advanceAll((series) => builder.watermark(series));
      return { bars1m, derived: deriver.drain() };
    },
    takeChanged: () => builder.takeChanged(),
    snapshotSeries(series) {
      const a = builder.snapshotSeries(series);
      if (a === undefined) return undefined;
      const b = deriver.snapshotSeries(series) ?? new Uint8Array(0);
      return new ByteWriter(a.length + b.length + 8).uint(FORMAT).bytes(a).bytes(b).finish();
    },
    restoreSeries(series, bytes) {
      const r = new ByteReader(bytes);
      expectVersion(r, 'bars engine', FORMAT);
      builder.restoreSeries(series, r.bytes());
      const b = r.bytes();
      if (b.length > 0) deriver.restoreSeries(series, b);
    },
    stats: () => builder.stats(),
  };
}
