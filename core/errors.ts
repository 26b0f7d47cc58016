/**
 * The base of every QuantForge error. `retriable` tells retry and DLQ code what to do
 * without matching strings (after kafkajs `KafkaJSError` vs `KafkaJSNonRetriableError`).
 */
export class QuantForgeError extends Error {
  override readonly name: string = 'QuantForgeError';
  readonly retriable: boolean;

  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** Input (a CLI flag, a config key, a tool argument) was wrong; the message says what is valid. */
export class InvalidInputError extends QuantForgeError {
  override readonly name: string = 'InvalidInputError';
  readonly field: string;

  constructor(field: string, message: string, options: { cause?: unknown } = {}) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}
