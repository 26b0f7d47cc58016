import { randomUUID } from 'node:crypto';
import { applyCompacted } from '../compacted.ts';
import { BusError } from '../errors.ts';
import type { KafkaContext } from './context.ts';
import { kafkaErrorType, toBusError } from './errors.ts';
import { createBatchUnpacker } from './packing.ts';

/** Answers of a partition whose leader is not in place yet (e.g. just after many topics are created). */
const LEADER_MOVING = new Set([
  'NOT_LEADER_FOR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/**
 * Retries `call` while the broker says a partition has no leader yet, for up to ~15 s:
 * right after `ensureTopics` creates dozens of topics, ListOffsets can answer
 * NOT_LEADER_FOR_PARTITION for a few seconds, and kafkajs' admin does not retry it.
 */
async function whileLeadersMove<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const type = kafkaErrorType(error);
      if (attempt >= 20 || type === undefined || !LEADER_MOVING.has(type)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 100 * 2 ** attempt)));
    }
  }
}

/**
 * Reads `topic` from its start to the high watermark seen when the call began, read_committed,
 * and returns the last value per key (tombstones removed). Uses a throwaway consumer group
 * that commits nothing and is deleted afterwards. Progress is tracked from kafkajs'
 * end-of-batch events, which also fire for batches holding only transaction markers or aborted
 * records, so a partition ending in a marker still counts as read to its end.
 */
export async function readCompactedTopic(ctx: KafkaContext, topic: string): Promise<Map<string, Uint8Array>> {
  const state = new Map<string, Uint8Array>();
  const admin = await ctx.admin();
  let ends: Map<number, bigint>;
  try {
    // A topic never written (not created yet) has no state; asking kafkajs for its offsets would retry for long.
    if (!(await admin.listTopics()).includes(topic)) return state;
    const offsets = await whileLeadersMove(() => admin.fetchTopicOffsets(topic));
    ends = new Map(
      offsets
        .filter((o) => BigInt(o.high) > BigInt(o.low))
        .map((o) => [o.partition, BigInt(o.high)] as const),
    );
  } catch (error) {
    throw toBusError(error, 'readCompacted', topic);
  }
  if (ends.size === 0) return state;

  const unpackBatch = createBatchUnpacker();
  const groupId = `${ctx.config.clientId}-read-compacted-${randomUUID()}`;
  const consumer = ctx.kafka.consumer({
    groupId,
    readUncommitted: false,
    maxBytesPerPartition: ctx.tuning.maxBytesPerPartition,
    maxWaitTimeInMs: ctx.tuning.maxWaitTimeMs,
    sessionTimeout: ctx.tuning.sessionTimeoutMs,
    heartbeatInterval: ctx.tuning.heartbeatIntervalMs,
  });
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
    const end = ends.get(event.payload.partition);
    if (end !== undefined && BigInt(event.payload.lastOffset) + 1n >= end) {
      ends.delete(event.payload.partition);
      if (ends.size === 0) finish();
    }
  });
  const limitMs = ctx.config.transactionTimeoutMs + ctx.tuning.sessionTimeoutMs + 30_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }) => {
        applyCompacted(
          state,
          unpackBatch({ topic, partition: batch.partition, messages: batch.messages }).messages,
        );
      },
    });
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), limitMs);
    });
    if (await Promise.race([done.then(() => false), timedOut])) {
      throw new BusError('readCompacted', `did not reach the end of the topic within ${limitMs} ms`, {
        topic,
        retriable: true,
      });
    }
  } catch (error) {
    throw toBusError(error, 'readCompacted', topic);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
  }
  return state;
}
