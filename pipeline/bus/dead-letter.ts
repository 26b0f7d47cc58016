import { deadLetterTopic } from './topic-names.ts';
import { type BusMessage, type BusRecord, type DeadLetterReason, DLQ_HEADERS } from './types.ts';

/**
 * The record that carries `message` to `dlq.<topic>`: the original key, value and headers, plus
 * the reason and origin in {@link DLQ_HEADERS}. Pure; both backends use it.
 */
export function toDeadLetterRecord(message: BusMessage, reason: DeadLetterReason, now: Date): BusRecord {
  return {
    topic: deadLetterTopic(message.topic),
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DLQ_HEADERS.reasonCode]: String(reason.code),
      [DLQ_HEADERS.reasonMessage]: String(reason.message),
      [DLQ_HEADERS.source]: String(reason.source),
      [DLQ_HEADERS.originalTopic]: message.topic,
      [DLQ_HEADERS.originalPartition]: String(message.partition),
      [DLQ_HEADERS.originalOffset]: message.offset,
      ...(message.index ? { [DLQ_HEADERS.originalIndex]: String(message.index) } : {}),
      [DLQ_HEADERS.failedAt]: now.toISOString(),
    },
  };
}
