import type { Producer } from 'kafkajs';
import type { Subscription, TransformOptions } from '../types.ts';
import { backoffMs, type KafkaContext, seekTo, sleepWhile, tpKey } from './context.ts';
import { FENCED_TYPES, kafkaErrorType, toBusError } from './errors.ts';
import { createGroupConsumer, waitForJoin } from './group-consumer.ts';
import { createBatchUnpacker } from './packing.ts';
import { createCachingPartitioner } from './partitioner.ts';
import { commitTransaction } from './transaction.ts';

/** The transactional producer of one input partition, and where its committed input ends. */
interface PartitionWorker {
  readonly producer: Producer;
  /** Committed offset read after fencing; messages below it were already transformed. */
  floor: bigint | null;
  failures: number;
  busy: boolean;
  revoked: boolean;
}

/**
 * Exactly-once consume-transform-produce on Kafka transactions. Each input partition gets its
 * own transactional producer, id `${prefix}-${topic}-${partition}`, made when the partition is
 * first processed after an assignment. Making it fences any older producer with that id (a
 * zombie from a crashed or partitioned worker) and ends that one's open transaction; only then
 * is the committed offset read, so messages a zombie managed to commit are skipped. Each batch:
 * handler -> outputs + input offsets in one transaction -> commit. If the handler or the
 * transaction fails, nothing becomes visible and the batch is delivered again.
 */
export async function startTransform(ctx: KafkaContext, options: TransformOptions): Promise<Subscription> {
  const { logger, tuning, config } = ctx;
  const { groupId, handler } = options;
  const unpackBatch = createBatchUnpacker();
  const workers = new Map<string, Promise<PartitionWorker>>();
  let running = true;

  const release = (worker: PartitionWorker): void => {
    worker.producer.disconnect().catch((error: unknown) => {
      logger.debug({ err: error }, 'bus: transactional producer disconnect failed');
    });
  };
  const drop = (key: string): void => {
    const pending = workers.get(key);
    workers.delete(key);
    void pending?.then(
      (worker) => {
        worker.revoked = true;
        if (!worker.busy) release(worker);
      },
      () => {},
    );
  };

  const createWorker = async (topic: string, partition: number): Promise<PartitionWorker> => {
    const producer = ctx.kafka.producer({
      transactionalId: `${options.transactionalIdPrefix}-${topic}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: config.transactionTimeoutMs,
      createPartitioner: createCachingPartitioner,
      allowAutoTopicCreation: false,
    });
    try {
      await producer.connect();
      // The first transaction() runs InitProducerId for the transactional id: this is the fencing step.
      const fence = await producer.transaction();
      await fence.abort();
      const admin = await ctx.admin();
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committed = offsets?.partitions.find((p) => p.partition === partition)?.offset;
      const floor = committed !== undefined && committed !== '-1' ? BigInt(committed) : null;
      return { producer, floor, failures: 0, busy: false, revoked: false };
    } catch (error) {
      await producer.disconnect().catch(() => {});
      throw error;
    }
  };

  const workerFor = (topic: string, partition: number): Promise<PartitionWorker> => {
    const key = tpKey(topic, partition);
    let pending = workers.get(key);
    if (pending === undefined) {
      pending = createWorker(topic, partition);
      workers.set(key, pending);
      pending.catch(() => {
        if (workers.get(key) === pending) workers.delete(key);
      });
    }
    return pending;
  };

  const group = await createGroupConsumer(ctx, {
    groupId,
    topics: options.topics,
    fromBeginning: options.fromBeginning ?? false,
    readUncommitted: false,
    onAssigned: options.onAssigned,
    onJoin: (assigned) => {
      const keep = new Set(assigned.map((tp) => tpKey(tp.topic, tp.partition)));
      for (const key of [...workers.keys()]) if (!keep.has(key)) drop(key);
    },
  }).catch((error: unknown) => {
    throw toBusError(error, 'transform', options.topics.join(','));
  });
  const { consumer } = group;
  let failuresWithoutWorker = 0;

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: tuning.partitionsConsumedConcurrently,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const messages = batch.messages;
      if (messages.length === 0) return;
      await group.assignedReady();
      const { topic, partition } = batch;
      const firstOffset = messages[0]!.offset;
      const lastOffset = messages[messages.length - 1]!.offset;
      const rewind = async (failures: number, error: unknown, what: string): Promise<void> => {
        logger.warn(
          { err: error, groupId, topic, partition, offset: firstOffset, failures },
          `bus: ${what}; nothing was committed and the batch will be delivered again`,
        );
        await sleepWhile(backoffMs(failures), () => running);
        seekTo(consumer, topic, partition, firstOffset, logger);
      };

      let worker: PartitionWorker;
      try {
        worker = await workerFor(topic, partition);
      } catch (error) {
        await rewind(++failuresWithoutWorker, error, 'could not set up the transactional producer');
        return;
      }
      failuresWithoutWorker = 0;

      let start = 0;
      if (worker.floor !== null) {
        const floor = worker.floor;
        while (start < messages.length && BigInt(messages[start]!.offset) < floor) start++;
        if (start === messages.length) {
          // Still below what is committed (a zombie got further than our fetch position): skip
          // ahead; the floor stays until a batch reaches it.
          resolveOffset(lastOffset);
          seekTo(consumer, topic, partition, floor.toString(), logger);
          return;
        }
        worker.floor = null;
      }

      worker.busy = true;
      try {
        let outputs: Awaited<ReturnType<typeof handler>>;
        try {
          outputs = await handler(
            unpackBatch({ topic: ctx.names.toLocal(topic), partition, messages, start }),
          );
        } catch (error) {
          await rewind(++worker.failures, error, 'transform handler failed');
          return;
        }
        try {
          await commitTransaction(
            worker.producer,
            outputs,
            { groupId, topic, partition, nextOffset: (BigInt(lastOffset) + 1n).toString() },
            tuning.produceChunkBytes,
            logger,
            ctx.names.toBroker,
          );
        } catch (error) {
          // The producer's state is unknown (fenced, or a failed commit): make a new one, which
          // also re-reads the committed offset, before this partition goes on.
          drop(tpKey(topic, partition));
          const fenced = FENCED_TYPES.has(kafkaErrorType(error) ?? '');
          await rewind(
            ++worker.failures,
            error,
            fenced ? 'producer fenced by a newer one' : 'transaction failed',
          );
          return;
        }
        worker.failures = 0;
        resolveOffset(lastOffset);
      } finally {
        worker.busy = false;
        if (worker.revoked) release(worker);
      }
      await heartbeat();
    },
  });
  await waitForJoin(group.joined, tuning.sessionTimeoutMs + 30_000);

  let stopping: Promise<void> | undefined;
  return {
    groupId,
    stop() {
      stopping ??= (async () => {
        running = false;
        // Waits for the in-flight batches (their transactions commit), then leaves the group.
        await consumer.stop();
        await consumer.disconnect();
        const remaining = [...workers.values()];
        workers.clear();
        await Promise.all(
          remaining.map((pending) =>
            pending.then(
              (worker) => worker.producer.disconnect().catch(() => {}),
              () => {},
            ),
          ),
        );
      })();
      return stopping;
    },
  };
}
