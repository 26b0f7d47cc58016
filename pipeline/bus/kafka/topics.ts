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

/** Creates the topics in `specs` that do not exist yet; existing topics are left untouched. */
export async function ensureKafkaTopics(ctx: KafkaContext, specs: readonly TopicSpec[]): Promise<void> {
  if (specs.length === 0) return;
  try {
    const admin = await ctx.admin();
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name)).map(toTopicConfig);
    if (missing.length === 0) return;
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (error) {
    // Another process may have created one in between: that is what we wanted.
    if (kafkaErrorType(error) === 'TOPIC_ALREADY_EXISTS') return;
    const errors = (error as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.every((e) => kafkaErrorType(e) === 'TOPIC_ALREADY_EXISTS')) return;
    throw toBusError(error, 'ensureTopics', specs.map((s) => s.name).join(','));
  }
}
