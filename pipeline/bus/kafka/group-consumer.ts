import type { Consumer, ConsumerConfig } from 'kafkajs';
import type { TopicPartition } from '../types.ts';
import { type KafkaContext, toTopicPartitions } from './context.ts';

/** A connected, subscribed kafkajs consumer and the hooks both subscribe and transform need. */
export interface GroupConsumer {
  readonly consumer: Consumer;
  /** Resolves once the member has joined the group the first time (or after `waitMs`). */
  readonly joined: Promise<void>;
  /** The current onAssigned call (batches wait for it so state is reloaded first). */
  assignedReady(): Promise<void>;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly readUncommitted: boolean;
  readonly onAssigned?: (assigned: readonly TopicPartition[]) => Promise<void>;
  /** Called on every join with the new assignment, before onAssigned. */
  readonly onJoin?: (assigned: readonly TopicPartition[]) => void;
}

/**
 * Builds a consumer tuned for throughput (large fetches, short broker wait, frequent heartbeats
 * so rebalances are noticed fast), connects and subscribes it.
 */
export async function createGroupConsumer(
  ctx: KafkaContext,
  options: GroupConsumerOptions,
): Promise<GroupConsumer> {
  const { tuning } = ctx;
  const config: ConsumerConfig = {
    groupId: options.groupId,
    sessionTimeout: tuning.sessionTimeoutMs,
    rebalanceTimeout: Math.max(tuning.sessionTimeoutMs, 30_000),
    heartbeatInterval: tuning.heartbeatIntervalMs,
    maxBytesPerPartition: tuning.maxBytesPerPartition,
    maxBytes: tuning.maxBytes,
    minBytes: 1,
    maxWaitTimeInMs: tuning.maxWaitTimeMs,
    readUncommitted: options.readUncommitted,
    allowAutoTopicCreation: false,
  };
  const consumer = ctx.kafka.consumer(config);
  let ready: Promise<void> = Promise.resolve();
  let markJoined: () => void = () => {};
  const joined = new Promise<void>((resolve) => {
    markJoined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = toTopicPartitions(event.payload.memberAssignment);
    options.onJoin?.(assigned);
    const hook = options.onAssigned;
    if (hook) {
      ready = hook(assigned).catch((error: unknown) => {
        ctx.logger.error({ err: error, groupId: options.groupId }, 'bus: onAssigned hook failed');
      });
    }
    markJoined();
  });
  consumer.on(consumer.events.CRASH, (event) => {
    // kafkajs restarts the consumer itself after a retriable crash; a non-retriable one stops it.
    const { error, restart } = event.payload;
    const level = restart ? 'warn' : 'error';
    ctx.logger[level]({ err: error, groupId: options.groupId, restart }, 'bus: consumer crashed');
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
  } catch (error) {
    // E.g. a topic that does not exist: the connected consumer would keep the process alive.
    await consumer.disconnect().catch(() => {});
    throw error;
  }
  return { consumer, joined, assignedReady: () => ready };
}

/** Waits for the first join, at most `ms` (a slow group still runs; callers just stop waiting). */
export async function waitForJoin(joined: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([joined, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
