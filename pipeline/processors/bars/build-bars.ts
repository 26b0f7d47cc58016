/**
 * Batch forms, pure: trades → bars of any period, and 1m bars → a longer period. Both
 * return final bars sorted by open time; empty buckets produce no bar.
 */

import { type BuiltPeriod, bucketStartUs } from '../../../core/periods/index.ts';
import { addTrade, type BarState, type BarTrade, mergeBar, newBar, rebucket } from './bar-state.ts';

/**
 * Builds bars of `period` straight from trades (any arrival order: open/close follow
 * (time, seq), so the result does not depend on the order of `trades`).
 * @example buildBars(trades, '5m')[0].open
 */
export function buildBars(trades: Iterable<BarTrade>, period: BuiltPeriod): BarState[] {
  const bars = new Map<number, BarState>();
  let current: BarState | undefined;
  for (const t of trades) {
    if (current !== undefined && t.timeUs >= current.openTimeUs && t.timeUs < current.closeTimeUs) {
      addTrade(current, t);
      continue;
    }
    const open = bucketStartUs(period, t.timeUs);
    current = bars.get(open);
    if (current === undefined) {
      current = newBar(period, open, t);
      bars.set(open, current);
    } else addTrade(current, t);
  }
  return finish(bars);
}

/** Derives bars of `period` from 1m bars (or any shorter period dividing it). */
export function deriveBars(bars: Iterable<BarState>, period: BuiltPeriod): BarState[] {
  const out = new Map<number, BarState>();
  for (const b of bars) {
    const open = bucketStartUs(period, b.openTimeUs);
    const acc = out.get(open);
    if (acc === undefined) out.set(open, rebucket(b, period, open));
    else mergeBar(acc, b);
  }
  return finish(out);
}

function finish(bars: Map<number, BarState>): BarState[] {
  const out = [...bars.values()].sort((a, b) => a.openTimeUs - b.openTimeUs);
  for (const b of out) b.final = true;
  return out;
}
