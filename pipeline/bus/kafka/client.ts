import { Kafka, type KafkaConfig as KafkaJsConfig, type LogEntry, logLevel } from 'kafkajs';
import type { Logger } from '../../../core/logger.ts';
import type { KafkaConnectionConfig } from '../config.ts';

/** Tuning of the Kafka backend (not config keys: defaults fit the pipeline; tests and benches override). */
export interface KafkaBusOptions {
  /** Consumer group session timeout (default 10000 ms; the broker's minimum is usually 6000). */
  readonly sessionTimeoutMs?: number;
  /** Consumer heartbeat interval (default 1000 ms): how soon a member notices a rebalance. */
  readonly heartbeatIntervalMs?: number;
  /** Most bytes fetched per partition per request (default 8 MiB). */
  readonly maxBytesPerPartition?: number;
  /** Most bytes per fetch response (default 32 MiB). */
  readonly maxBytes?: number;
  /** How long the broker may hold a fetch waiting for data (default 100 ms). */
  readonly maxWaitTimeMs?: number;
  /** Partitions one member processes at the same time (default 8). */
  readonly partitionsConsumedConcurrently?: number;
  /** Bytes per produce request before the bus starts another (default 900 000, under 1 MiB). */
  readonly produceChunkBytes?: number;
  /** Use an idempotent producer for `produce` (default true: no duplicates from retries). */
  readonly idempotent?: boolean;
}

/** Tuning with every default filled in. */
export type KafkaTuning = Required<KafkaBusOptions>;

export function toTuning(options: KafkaBusOptions = {}): KafkaTuning {
  return {
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 8 * 1024 * 1024,
    maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
    maxWaitTimeMs: options.maxWaitTimeMs ?? 100,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 8,
    produceChunkBytes: options.produceChunkBytes ?? 900_000,
    idempotent: options.idempotent ?? true,
  };
}

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'debug' | 'trace'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'debug',
  [logLevel.DEBUG]: 'trace',
};

/**
 * A kafkajs client logging through our pino logger (kafkajs' chatty info goes to debug). Only
 * warnings and errors are produced unless our logger is at debug or below.
 */
export function createKafkaClient(logger: Logger, config: KafkaConnectionConfig): Kafka {
  const verbose = logger.isLevelEnabled('debug');
  const options: KafkaJsConfig = {
    clientId: config.clientId,
    brokers: [...config.brokers],
    ssl: config.ssl,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: { initialRetryTime: 100, maxRetryTime: 5000, retries: 8 },
    logLevel: verbose ? logLevel.DEBUG : logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _t, logger: _l, ...rest } = log;
        // kafkajs logs every error response at ERROR ("Response Heartbeat ... rebalancing") even
        // though the caller handles it; those are debug here, real failures reach us as errors.
        // The retry-limit warning is expected: a producer whose send failed is replaced, not reused.
        const routine = message.startsWith('Response ') || message.startsWith('Limiting retries');
        const name = routine ? 'debug' : (LEVEL_NAMES[level] ?? 'debug');
        logger[name]({ kafkajs: namespace, ...rest }, message);
      },
  };
  return new Kafka(options);
}
