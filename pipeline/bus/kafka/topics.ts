import type { ITopicConfig } from 'kafkajs';
import type { TopicSpec } from '../types.ts';
import type { KafkaContext } from './context.ts';
import { kafkaErrorType, toBusError } from './errors.ts';

/** A topic spec as kafkajs' createTopics entry (replication factor 1 unless given). */
export function toTopicConfig(spec: TopicSpec): ITopicConfig {
  return {
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor: spec.replicationFactor ?? 1,
    configEntries: [
      { name: 'cleanup.policy', value: spec.cleanupPolicy },
      { name: 'retention.ms', value: String(spec.retentionMs) },
    ],
  };
}

/** Errors of a create that Kafka reports while the new topics are still getting their leaders. */
const NOT_READY = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_CONTROLLER']);
const ATTEMPTS = 4;

function isAlreadyThere(error: unknown): boolean {
  if (kafkaErrorType(error) === 'TOPIC_ALREADY_EXISTS') return true;
  const errors = (error as { errors?: unknown[] }).errors;
  return Array.isArray(errors) && errors.every((e) => kafkaErrorType(e) === 'TOPIC_ALREADY_EXISTS');
}

function isNotReady(error: unknown): boolean {
  if (NOT_READY.has(kafkaErrorType(error) ?? '')) return true;
  const errors = (error as { errors?: unknown[] }).errors;
  return Array.isArray(errors) && errors.some((e) => NOT_READY.has(kafkaErrorType(e) ?? ''));
}

/** `a, b, c and 62 more`: a topic list short enough for an error message. */
function nameSome(names: readonly string[]): string {
  return names.length <= 3 ? names.join(',') : `${names.slice(0, 3).join(',')} and ${names.length - 3} more`;
}

/**
 * Creates the topics in `specs` that do not exist yet; existing topics are left untouched.
 * A busy cluster may answer a create it has done with "no leader yet"
 * (UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE): the call is repeated, backing off, and
 * the repeat finds the topics there.
 */
export async function ensureKafkaTopics(ctx: KafkaContext, specs: readonly TopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    try {
      const admin = await ctx.admin();
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((spec) => !existing.has(spec.name)).map(toTopicConfig);
      if (missing.length === 0) return;
      await admin.createTopics({ topics: missing, waitForLeaders: true });
      return;
    } catch (error) {
      // Another process may have created one in between: that is what we wanted.
      if (isAlreadyThere(error)) return;
      if (attempt < ATTEMPTS && isNotReady(error)) {
        ctx.logger.warn({ attempt, err: error }, 'bus: new topics have no leader yet; checking again');
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        continue;
      }
      throw toBusError(error, 'ensureTopics', nameSome(specs.map((s) => s.name)));
    }
  }
}
