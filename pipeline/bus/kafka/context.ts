import type { Admin, Consumer, Kafka } from 'kafkajs';
import type { Logger } from '../../../core/logger.ts';
import type { KafkaConnectionConfig } from '../config.ts';
import type { NamespaceRenames } from '../namespaced.ts';
import type { TopicPartition } from '../types.ts';
import type { KafkaTuning } from './client.ts';

/** What the parts of the Kafka bus share: the client, settings, and a lazily connected admin. */
export interface KafkaContext {
  readonly kafka: Kafka;
  readonly logger: Logger;
  readonly config: KafkaConnectionConfig;
  readonly tuning: KafkaTuning;
  /** Broker-side names under `config.namespace` (identity without one). */
  readonly names: NamespaceRenames;
  admin(): Promise<Admin>;
}

/** Sleeps `ms`, waking early when `keepWaiting` turns false (checked every 50 ms). */
export async function sleepWhile(ms: number, keepWaiting: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (keepWaiting() && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, until - Date.now())));
  }
}

/** Backoff after the n-th failure in a row of one partition: 100 ms doubling to 5 s. */
export function backoffMs(failures: number): number {
  return Math.min(5000, 100 * 2 ** Math.max(0, failures - 1));
}

/** kafkajs' member assignment (`{ topic: [partitions] }`) as a list. */
export function toTopicPartitions(assignment: Readonly<Record<string, number[]>>): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const topic of Object.keys(assignment).sort()) {
    for (const partition of assignment[topic] ?? []) out.push({ topic, partition });
  }
  return out;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Moves the partition's fetch position to `offset` (back, to deliver a batch again, or ahead). When
 * the consumer is stopping or lost the partition this throws inside kafkajs; then the next owner
 * starts from the committed offset anyway, so the error is only logged.
 */
export function seekTo(
  consumer: Consumer,
  topic: string,
  partition: number,
  offset: string,
  logger: Logger,
): void {
  try {
    consumer.seek({ topic, partition, offset });
  } catch (error) {
    logger.debug({ err: error, topic, partition, offset }, 'bus: seek back skipped');
  }
}
