/**
 * The Kafka bus, on kafkajs. `produce` uses one idempotent producer (acks=all), batched into
 * requests under the broker's size limit and sent in order, with calls made while a request is
 * in flight merged into the next one (produce-queue.ts); `subscribe` is an at-least-once
 * consumer group; `transform` runs exactly-once transactions with one transactional producer
 * per input partition (see transform.ts); readers are read_committed.
 */
import type { Admin, Producer } from 'kafkajs';
import type { Logger } from '../../../core/logger.ts';
import type { KafkaConnectionConfig } from '../config.ts';
import { toDeadLetterRecord } from '../dead-letter.ts';
import { BusClosedError } from '../errors.ts';
import { namespaceRenames } from '../namespaced.ts';
import type {
  Bus,
  BusMessage,
  BusRecord,
  DeadLetterReason,
  SubscribeOptions,
  Subscription,
  TopicPartition,
  TopicSpec,
  TransformOptions,
} from '../types.ts';
import { createKafkaClient, type KafkaBusOptions, toTuning } from './client.ts';
import type { KafkaContext } from './context.ts';
import { toBusError } from './errors.ts';
import { packRecords } from './packing.ts';
import { createCachingPartitioner } from './partitioner.ts';
import { createProduceQueue } from './produce-queue.ts';
import { readCompactedTopic } from './read-compacted.ts';
import { startSubscription } from './subscribe.ts';
import { ensureKafkaTopics } from './topics.ts';
import { startTransform } from './transform.ts';

export type { KafkaBusOptions } from './client.ts';

/** Builds a Kafka bus. Connections open on first use; `close` ends them all. */
export function createKafkaBus(
  deps: { logger: Logger },
  config: KafkaConnectionConfig,
  options: KafkaBusOptions = {},
): Bus {
  const logger = deps.logger;
  const tuning = toTuning(options);
  const kafka = createKafkaClient(logger, config);
  const subscriptions = new Set<Subscription>();
  const dlqTopics = new Set<string>();
  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
  let closed = false;

  const connectOnce = <T extends { connect(): Promise<void> }>(make: () => T): Promise<T> => {
    const client = make();
    return client.connect().then(() => client);
  };
  const names = namespaceRenames(config.namespace ?? '');
  const ctx: KafkaContext = {
    kafka,
    logger,
    config,
    tuning,
    names,
    admin() {
      admin ??= connectOnce(() => kafka.admin());
      admin.catch(() => {
        admin = undefined;
      });
      return admin;
    },
  };
  const getProducer = (): Promise<Producer> => {
    producer ??= connectOnce(() =>
      kafka.producer({
        idempotent: tuning.idempotent,
        maxInFlightRequests: tuning.idempotent ? 1 : 5,
        createPartitioner: createCachingPartitioner,
        allowAutoTopicCreation: false,
      }),
    );
    producer.catch(() => {
      producer = undefined;
    });
    return producer;
  };
  /** An onAssigned hook that sees the components' topic names. */
  const localAssigned =
    (hook: ((assigned: readonly TopicPartition[]) => Promise<void>) | undefined) =>
    (assigned: readonly TopicPartition[]): Promise<void> =>
      hook?.(assigned.map((tp) => ({ topic: names.toLocal(tp.topic), partition: tp.partition }))) ??
      Promise.resolve();
  const track = (subscription: Subscription): Subscription => {
    subscriptions.add(subscription);
    return {
      groupId: subscription.groupId,
      stop: () => subscription.stop().finally(() => subscriptions.delete(subscription)),
    };
  };

  const sendRecords = async (records: readonly BusRecord[]): Promise<void> => {
    try {
      const client = await getProducer();
      // One request at a time: chunks of the same key must reach the broker in order.
      const chunks = packRecords(records, {
        maxRequestBytes: tuning.produceChunkBytes,
        toBroker: names.toBroker,
      });
      for (const topicMessages of chunks) {
        await client.sendBatch({ topicMessages, acks: -1 });
      }
    } catch (error) {
      // After a failed send the idempotent producer's sequence numbers may be out of step with
      // the broker's: start over with a new producer id rather than reuse it.
      const failed = producer;
      producer = undefined;
      void failed?.then((client) => client.disconnect()).catch(() => {});
      throw toBusError(error, 'produce', records[0]?.topic);
    }
  };
  const enqueue = createProduceQueue(sendRecords);
  const produce = async (records: readonly BusRecord[]): Promise<void> => {
    if (closed) throw new BusClosedError('produce');
    if (records.length === 0) return;
    await enqueue(records);
  };

  return {
    kind: 'kafka',

    ensureTopics: (specs: readonly TopicSpec[]) =>
      ensureKafkaTopics(
        ctx,
        specs.map((s) => ({ ...s, name: names.toBroker(s.name) })),
      ),

    produce,

    async subscribe(options: SubscribeOptions): Promise<Subscription> {
      if (closed) throw new BusClosedError('subscribe');
      return track(
        await startSubscription(ctx, {
          ...options,
          groupId: names.group(options.groupId),
          topics: options.topics.map(names.toBroker),
          onAssigned: localAssigned(options.onAssigned),
        }),
      );
    },

    async transform(options: TransformOptions): Promise<Subscription> {
      if (closed) throw new BusClosedError('transform');
      return track(
        await startTransform(ctx, {
          ...options,
          groupId: names.group(options.groupId),
          transactionalIdPrefix: names.group(options.transactionalIdPrefix),
          topics: options.topics.map(names.toBroker),
          onAssigned: localAssigned(options.onAssigned),
        }),
      );
    },

    /**
     * Throws only when the dead-letter topic cannot be written (a retriable {@link BusError}, so
     * the caller's batch is redelivered and nothing is lost), never because of the message.
     */
    async deadLetter(message: BusMessage, reason: DeadLetterReason): Promise<void> {
      const record = toDeadLetterRecord(message, reason, new Date());
      if (!dlqTopics.has(record.topic)) {
        await ensureKafkaTopics(ctx, [
          { name: names.toBroker(record.topic), partitions: 1, retentionMs: -1, cleanupPolicy: 'delete' },
        ]);
        dlqTopics.add(record.topic);
      }
      await produce([record]);
    },

    readCompacted: (topic: string) => readCompactedTopic(ctx, names.toBroker(topic)),

    async close(): Promise<void> {
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      subscriptions.clear();
      const pending = [producer, admin];
      producer = undefined;
      admin = undefined;
      await Promise.all(
        pending.map((client) => client?.then((c) => c.disconnect()).catch(() => {}) ?? Promise.resolve()),
      );
    },
  };
}
