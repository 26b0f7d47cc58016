/**
 * In-memory state runs ahead of the bus whenever a batch is redelivered (a handler threw,
 * or its transaction failed to commit after the handler returned). The guard notices a
 * batch that starts at or below an offset already processed on that partition; the shell
 * then rebuilds its state from the changelog, which commits atomically with the offsets.
 */
import type { BusBatch } from '../../bus/types.ts';

export interface RedeliveryGuard {
  /** True when this batch repeats offsets already seen (state must be restored first). */
  isRedelivery(batch: BusBatch): boolean;
  /** Records the batch as processed. */
  processed(batch: BusBatch): void;
  /** Forgets every partition (after a restore). */
  reset(): void;
}

export function createRedeliveryGuard(): RedeliveryGuard {
  const last = new Map<string, bigint>();
  const keyOf = (b: BusBatch) => `${b.topic}/${b.partition}`;
  return {
    isRedelivery(batch) {
      const first = batch.messages[0];
      if (first === undefined) return false;
      const seen = last.get(keyOf(batch));
      return seen !== undefined && BigInt(first.offset) <= seen;
    },
    processed(batch) {
      const lastMessage = batch.messages.at(-1);
      if (lastMessage !== undefined) last.set(keyOf(batch), BigInt(lastMessage.offset));
    },
    reset: () => last.clear(),
  };
}
