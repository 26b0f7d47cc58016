import type { SubscribeOptions, Subscription } from '../types.ts';
import { backoffMs, type KafkaContext, seekTo, sleepWhile, tpKey } from './context.ts';
import { toBusError } from './errors.ts';
import { createGroupConsumer, waitForJoin } from './group-consumer.ts';
import { createBatchUnpacker } from './packing.ts';

/**
 * At-least-once consumer group on kafkajs `eachBatch`. A batch's last offset is resolved only
 * after the handler resolves, and kafkajs commits resolved offsets right after each batch
 * (autoCommit with neither interval nor threshold). A handler that throws gets its batch again:
 * the partition is sought back to the batch's first offset after a backoff.
 */
export async function startSubscription(ctx: KafkaContext, options: SubscribeOptions): Promise<Subscription> {
  const { logger } = ctx;
  let running = true;
  const failures = new Map<string, number>();
  const group = await createGroupConsumer(ctx, {
    groupId: options.groupId,
    topics: options.topics,
    fromBeginning: options.fromBeginning ?? false,
    readUncommitted: false,
    onAssigned: options.onAssigned,
  }).catch((error: unknown) => {
    throw toBusError(error, 'subscribe', options.topics.join(','));
  });
  const { consumer } = group;
  const handler = options.handler;
  const unpackBatch = createBatchUnpacker();

  await consumer.run({
    autoCommit: true,
    autoCommitInterval: null,
    autoCommitThreshold: null,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: ctx.tuning.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (batch.messages.length === 0) return;
      await group.assignedReady();
      const { topic, partition } = batch;
      try {
        await handler(unpackBatch({ topic: ctx.names.toLocal(topic), partition, messages: batch.messages }));
      } catch (error) {
        const key = tpKey(topic, partition);
        const count = (failures.get(key) ?? 0) + 1;
        failures.set(key, count);
        const firstOffset = batch.messages[0]!.offset;
        logger.warn(
          { err: error, groupId: options.groupId, topic, partition, offset: firstOffset, failures: count },
          'bus: batch handler failed; the batch will be delivered again',
        );
        await sleepWhile(backoffMs(count), () => running);
        seekTo(consumer, topic, partition, firstOffset, logger);
        return;
      }
      if (failures.size > 0) failures.delete(tpKey(topic, partition));
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await heartbeat();
    },
  });
  await waitForJoin(group.joined, ctx.tuning.sessionTimeoutMs + 30_000);

  let stopping: Promise<void> | undefined;
  return {
    groupId: options.groupId,
    stop() {
      stopping ??= (async () => {
        running = false;
        // consumer.stop waits for the in-flight batch (which commits) and leaves the group.
        await consumer.stop();
        await consumer.disconnect();
      })();
      return stopping;
    },
  };
}
