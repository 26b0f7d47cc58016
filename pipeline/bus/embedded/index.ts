/**
 * The embedded bus: an in-process, in-memory partitioned log with consumer groups, for running
 * the whole platform in one process (`npm start`) and for tests.
 *
 * What it gives: per-key order (keys are hashed to partitions with Kafka's murmur2, so a key
 * lands on the same partition number as on Kafka), consumer groups with committed offsets and
 * round-robin partition assignment across the members of a group, at-least-once `subscribe`,
 * atomic `transform` (outputs and input offsets commit in one synchronous step), dead-letter
 * topics and `readCompacted`.
 *
 * What it does NOT give: durability (everything is lost when the process exits; nothing is
 * written to disk), more than one process (other processes cannot reach it), retention or
 * compaction (the log only grows; keep embedded runs bounded), and a copy of produced bytes
 * (do not mutate a value after producing it).
 */

import type { Logger } from '../../../core/logger.ts';
import { applyCompacted } from '../compacted.ts';
import { toDeadLetterRecord } from '../dead-letter.ts';
import { BusClosedError } from '../errors.ts';
import type {
  Bus,
  BusMessage,
  BusRecord,
  DeadLetterReason,
  SubscribeOptions,
  Subscription,
  TopicSpec,
  TransformOptions,
} from '../types.ts';
import { EmbeddedGroup } from './group.ts';
import { EmbeddedLog } from './log.ts';
import { type BatchRunner, startMember } from './member.ts';

/** Tuning of the embedded bus; every field has a default. */
export interface EmbeddedBusOptions {
  /** Partitions of a topic first used without `ensureTopics` (default 1, as Kafka's `num.partitions`). */
  readonly defaultPartitions?: number;
  /** Most messages handed to a handler in one batch (default 5000). */
  readonly maxBatchMessages?: number;
}

/** Builds an embedded bus. Nothing is shared between two embedded buses. */
export function createEmbeddedBus(deps: { logger: Logger }, options: EmbeddedBusOptions = {}): Bus {
  const log = new EmbeddedLog(options.defaultPartitions ?? 1);
  const maxBatch = options.maxBatchMessages ?? 5000;
  const groups = new Map<string, EmbeddedGroup>();
  const subscriptions = new Set<Subscription>();
  let closed = false;

  const groupOf = (id: string): EmbeddedGroup => {
    let group = groups.get(id);
    if (group === undefined) {
      group = new EmbeddedGroup(id, log);
      groups.set(id, group);
    }
    return group;
  };

  const start = (
    options: SubscribeOptions | TransformOptions,
    run: BatchRunner,
    operation: 'subscribe' | 'transform',
  ): Subscription => {
    if (closed) throw new BusClosedError(operation);
    const subscription: Subscription = startMember({
      group: groupOf(options.groupId),
      log,
      logger: deps.logger,
      topics: [...options.topics],
      fromBeginning: options.fromBeginning ?? false,
      maxBatch,
      run,
      onAssigned: options.onAssigned,
      onStopped: () => subscriptions.delete(subscription),
    });
    subscriptions.add(subscription);
    return subscription;
  };

  return {
    kind: 'embedded',

    async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
      for (const spec of specs) if (!log.has(spec.name)) log.topic(spec.name, spec.partitions);
    },

    async produce(records: readonly BusRecord[]): Promise<void> {
      if (closed) throw new BusClosedError('produce');
      log.append(records, Date.now());
    },

    async subscribe(options: SubscribeOptions): Promise<Subscription> {
      const handler = options.handler;
      return start(
        options,
        async (batch) => {
          await handler(batch);
          return undefined;
        },
        'subscribe',
      );
    },

    async transform(options: TransformOptions): Promise<Subscription> {
      return start(options, options.handler, 'transform');
    },

    async deadLetter(message: BusMessage, reason: DeadLetterReason): Promise<void> {
      if (closed) throw new BusClosedError('deadLetter');
      log.append([toDeadLetterRecord(message, reason, new Date())], Date.now());
    },

    async readCompacted(topic: string): Promise<Map<string, Uint8Array>> {
      const state = new Map<string, Uint8Array>();
      if (!log.has(topic)) return state;
      for (const partition of log.topic(topic).partitions) applyCompacted(state, partition);
      return state;
    },

    async close(): Promise<void> {
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
    },
  };
}
