import { BusBrokerError, BusConnectionError, BusError, type BusOperation } from '../errors.ts';

interface KafkaJsLikeError extends Error {
  readonly retriable?: boolean;
  readonly type?: string;
  readonly code?: number;
  readonly originalError?: unknown;
}

/** kafkajs errors that mean "we could not reach the broker" rather than "the broker said no". */
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
]);

/** The innermost kafkajs error: retries-exceeded errors wrap the last attempt's error as `cause`. */
function rootOf(error: KafkaJsLikeError): KafkaJsLikeError {
  let root = error;
  for (let depth = 0; depth < 5; depth++) {
    const inner = root.cause ?? root.originalError;
    if (root.name !== 'KafkaJSNumberOfRetriesExceeded' || !(inner instanceof Error)) break;
    root = inner as KafkaJsLikeError;
  }
  return root;
}

/** The Kafka protocol error name (`CONCURRENT_TRANSACTIONS`, `PRODUCER_FENCED`, ...) behind `error`, if any. */
export function kafkaErrorType(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const root = rootOf(error as KafkaJsLikeError);
  if (typeof root.type === 'string') return root.type;
  return typeof (error as KafkaJsLikeError).type === 'string' ? (error as KafkaJsLikeError).type : undefined;
}

/**
 * Maps a kafkajs error to ours, keeping "the broker said no" ({@link BusBrokerError}, with the
 * Kafka error type and code) apart from "we could not reach it" ({@link BusConnectionError}).
 */
export function toBusError(error: unknown, operation: BusOperation, topic?: string): BusError {
  if (error instanceof BusError) return error;
  if (!(error instanceof Error)) return new BusError(operation, String(error), { cause: error, topic });
  const root = rootOf(error as KafkaJsLikeError);
  if (UNREACHABLE.has(root.name)) {
    return new BusConnectionError(operation, `could not reach Kafka: ${root.message}`, {
      cause: error,
      topic,
    });
  }
  if (typeof root.type === 'string' && typeof root.code === 'number') {
    return new BusBrokerError(operation, `Kafka answered ${root.type}: ${root.message}`, {
      cause: error,
      topic,
      type: root.type,
      code: root.code,
      retriable: root.retriable ?? false,
    });
  }
  const retriable = (error as KafkaJsLikeError).retriable ?? false;
  return new BusError(operation, error.message, { cause: error, topic, retriable });
}

/** Errors after which a transactional producer is no longer ours to use (a newer one fenced it). */
export const FENCED_TYPES = new Set([
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
]);
