/** BarState ⇄ snapshot bytes (exact: bigints as integers, order keys kept). */

import { type BuiltPeriod, PERIOD_US } from '../../../core/periods/index.ts';
import type { ByteReader, ByteWriter } from '../state/index.ts';
import type { BarState } from './bar-state.ts';

/** Writes every field of a bar except its period (the reader knows it). */
export function writeBarState(w: ByteWriter, b: BarState): void {
  w.f64(b.openTimeUs).bigint(b.open).bigint(b.high).bigint(b.low).bigint(b.close);
  w.bigint(b.volume)
    .bigint(b.takerBuyVolume)
    .bigint(b.makerVolume)
    .bigint(b.quoteVolume)
    .bigint(b.takerBuyQuoteVolume);
  w.uint(b.tradeCount).uint(b.firstSeq).uint(b.lastSeq);
  w.f64(b.openKeyTime).uint(b.openKeySeq).f64(b.closeKeyTime).uint(b.closeKeySeq);
  w.uint(b.revision).uint(b.final ? 1 : 0);
}

/** Reads what writeBarState wrote. */
export function readBarState(r: ByteReader, period: BuiltPeriod): BarState {
  const openTimeUs = r.f64();
  return {
    period,
    openTimeUs,
    closeTimeUs: openTimeUs + PERIOD_US[period],
    open: r.bigint(),
    high: r.bigint(),
    low: r.bigint(),
    close: r.bigint(),
    volume: r.bigint(),
    takerBuyVolume: r.bigint(),
    makerVolume: r.bigint(),
    quoteVolume: r.bigint(),
    takerBuyQuoteVolume: r.bigint(),
    tradeCount: r.uint(),
    firstSeq: r.uint(),
    lastSeq: r.uint(),
    openKeyTime: r.f64(),
    openKeySeq: r.uint(),
    closeKeyTime: r.f64(),
    closeKeySeq: r.uint(),
    revision: r.uint(),
    final: r.uint() === 1,
  };
}
