import type { BusMessage } from './types.ts';

/**
 * Folds `messages` (one partition, in log order) into `state`: the last value per key wins and a
 * tombstone (an empty value; Kafka's null value reads back as empty) removes the key. Messages
 * without a key are ignored: a compacted topic keys every record.
 */
export function applyCompacted(state: Map<string, Uint8Array>, messages: readonly BusMessage[]): void {
  for (const message of messages) {
    if (message.key === null) continue;
    if (message.value.length === 0) state.delete(message.key);
    else state.set(message.key, message.value);
  }
}
