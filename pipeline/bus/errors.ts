import { QuantForgeError } from '../../core/errors.ts';

/** What the bus was doing when it failed, for logs and error messages. */
export type BusOperation =
  | 'produce'
  | 'subscribe'
  | 'transform'
  | 'deadLetter'
  | 'readCompacted'
  | 'ensureTopics'
  | 'close'
  | 'connect';

/**
 * The base of every bus error. `retriable` says whether trying the same call again may work
 * (a broker not reachable yet, a coordinator moving); `operation` and `topic` say what failed.
 */
export class BusError extends QuantForgeError {
  override readonly name: string = 'BusError';
  readonly operation: BusOperation;
  readonly topic: string | undefined;

  constructor(
    operation: BusOperation,
    message: string,
    options: { cause?: unknown; retriable?: boolean; topic?: string } = {},
  ) {
    super(`bus ${operation}${options.topic ? ` (${options.topic})` : ''}: ${message}`, options);
    this.operation = operation;
    this.topic = options.topic;
  }
}

/** The broker answered and said no (a Kafka protocol error such as TOPIC_AUTHORIZATION_FAILED). */
export class BusBrokerError extends BusError {
  override readonly name: string = 'BusBrokerError';
  /** Kafka error name, e.g. `UNKNOWN_TOPIC_OR_PARTITION`, `PRODUCER_FENCED`. */
  readonly type: string;
  /** Kafka numeric error code. */
  readonly code: number;

  constructor(
    operation: BusOperation,
    message: string,
    options: { cause?: unknown; retriable?: boolean; topic?: string; type: string; code: number },
  ) {
    super(operation, message, options);
    this.type = options.type;
    this.code = options.code;
  }
}

/** The broker could not be reached, or did not answer in time. Always retriable. */
export class BusConnectionError extends BusError {
  override readonly name: string = 'BusConnectionError';

  constructor(operation: BusOperation, message: string, options: { cause?: unknown; topic?: string } = {}) {
    super(operation, message, { ...options, retriable: true });
  }
}

/** The bus (or one of its subscriptions) was closed and cannot take this call. */
export class BusClosedError extends BusError {
  override readonly name: string = 'BusClosedError';

  constructor(operation: BusOperation) {
    super(operation, 'the bus is closed; create a new one', { retriable: false });
  }
}
