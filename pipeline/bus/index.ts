/**
 * The Bus: one messaging interface, two backends. Components are handed a `Bus` from
 * {@link createBus} and never learn which backend carries their records.
 *
 * @example
 * const bus = createBus({ logger }, busConfigSchema.parse({ kind: 'kafka' }));
 * await bus.ensureTopics([{ name: 'norm.trade', partitions: 12, retentionMs: -1, cleanupPolicy: 'delete' }]);
 * await bus.produce([{ topic: 'norm.trade', key: seriesKey('BINANCE', 'BTCUSDT'), value: bytes }]);
 */
import type { Logger } from '../../core/logger.ts';
import type { BusConfig } from './config.ts';
import { createEmbeddedBus, type EmbeddedBusOptions } from './embedded/index.ts';
import { createKafkaBus, type KafkaBusOptions } from './kafka/index.ts';
import type { Bus } from './types.ts';

export type { BusConfig, KafkaConfig } from './config.ts';
export { busConfigSchema, kafkaConfigSchema } from './config.ts';
export type { EmbeddedBusOptions } from './embedded/index.ts';
export { createEmbeddedBus } from './embedded/index.ts';
export { BusBrokerError, BusClosedError, BusConnectionError, BusError, type BusOperation } from './errors.ts';
export type { KafkaBusOptions } from './kafka/index.ts';
export { createKafkaBus } from './kafka/index.ts';
export { type NamespacedBusHooks, namespacedBus, namespacedTopic } from './namespaced.ts';
export { murmur2, partitionForKey } from './partitioner.ts';
export * from './topic-names.ts';
export * from './types.ts';

/** Tuning passed through to the chosen backend. */
export interface BusOptions {
  readonly embedded?: EmbeddedBusOptions;
  readonly kafka?: KafkaBusOptions;
}

/** Builds the bus `config.kind` names. Nothing connects until first use. */
export function createBus(deps: { logger: Logger }, config: BusConfig, options: BusOptions = {}): Bus {
  if (config.kind === 'embedded') return createEmbeddedBus(deps, options.embedded);
  return createKafkaBus(deps, config.kafka, options.kafka);
}
