/**
 * A private copy of the pipeline's dedup state for one series, read from its changelog
 * (`state.dedup`), so a trade job knows before sending which trades dedup would drop: ids the
 * pipeline has already seen (duplicates) and ids at or below its high-watermark minus the
 * window (expired: dedup cannot tell them from duplicates, so it routes them to bars.late).
 * The copy advances as the job's own trades pass it, exactly as the real dedup will.
 */
import type { Bus } from '../bus/types.ts';
import { createDeduplicator, type DedupVerdict, PROCESSOR_TOPICS } from '../processors/index.ts';

/** Predicts dedup's verdict on a trade id of the series. */
export interface DedupGuard {
  verdict(tradeId: number): DedupVerdict;
}

/** Builds the guard of `series` (`VENUE:SYMBOL`) from the bus's dedup changelog. */
export async function createDedupGuard(bus: Bus, series: string, windowIds: number): Promise<DedupGuard> {
  const dedup = createDeduplicator({ windowIds });
  const bytes = (await bus.readCompacted(PROCESSOR_TOPICS.stateDedup)).get(series);
  if (bytes !== undefined && bytes.length > 0) dedup.restoreSeries(series, bytes);
  return { verdict: (tradeId) => dedup.checkId(series, tradeId) };
}
