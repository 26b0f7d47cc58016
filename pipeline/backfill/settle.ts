/**
 * The `settle` a backfill service is given when a pipeline runs in the same process (the CLI,
 * tests): a job is done once the store sink has taken in what the job produced, and the
 * pipeline has then been quiet for a while.
 */
import type { Pipeline } from '../runtime/pipeline.ts';
import type { BackfillServiceDeps } from './service.ts';

/**
 * Everything the store sink has taken in so far: a job's klines arrive as bars, its trades as
 * trades (and the bars built from them, so for a trades job this runs a little ahead).
 */
function sinkTaken(pipeline: Pipeline): number {
  const s = pipeline.progress().sink;
  return s.trades + s.replayedTrades + s.bars + s.skippedBars;
}

/**
 * Builds a settle for `pipeline` (counting from now): it waits until the sink has taken in at
 * least as many items as the job produced (at most `waitMs`, e.g. when another process's sink
 * in the same Kafka group owns the partitions), then until no stage has moved for `quietMs`.
 * Quiet alone is fooled by a stage pausing longer than `quietMs` (a busy machine, a
 * rebalance, a slow transaction commit) and would let the job finish before the store has it.
 */
export function settleOnPipeline(
  pipeline: Pipeline,
  options: { quietMs: number; waitMs?: number },
): NonNullable<BackfillServiceDeps['settle']> {
  let taken = sinkTaken(pipeline);
  return async ({ itemsWritten }) => {
    const want = taken + itemsWritten;
    const until = Date.now() + (options.waitMs ?? 120_000);
    while (sinkTaken(pipeline) < want && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await pipeline.settled({ quietMs: options.quietMs });
    taken = Math.max(want, sinkTaken(pipeline));
  };
}
