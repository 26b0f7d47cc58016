/**
 * Errors of the model client. "The API refused the request" (`ModelRequestError`, not retried)
 * is kept apart from "no model could be reached" (`AllModelsFailedError`), and both from a
 * cancel (`TurnCancelledError`). `message` of `AllModelsFailedError` is written for the user;
 * the per-model reasons are for the log.
 */
import { QuantForgeError } from '../../core/errors.ts';

/** Base of the model client's errors. */
export class ModelError extends QuantForgeError {
  override readonly name: string = 'ModelError';
}

/** The API answered with a 4xx other than 429: the request itself is wrong; retrying won't help. */
export class ModelRequestError extends ModelError {
  override readonly name: string = 'ModelRequestError';
  readonly model: string;
  readonly status: number | undefined;
  /** The API's error type, e.g. `invalid_request_error`. */
  readonly type: string | undefined;

  constructor(
    model: string,
    status: number | undefined,
    type: string | undefined,
    apiMessage: string,
    cause: unknown,
  ) {
    super(
      `the model API refused the request to ${model} (${status ?? 'stream'} ${type ?? 'error'}): ${apiMessage}`,
      {
        cause,
      },
    );
    this.model = model;
    this.status = status;
    this.type = type;
  }
}

/** Why one model was given up on. */
export interface ModelFailure {
  readonly model: string;
  readonly attempts: number;
  /** The last failure, e.g. `529 overloaded_error: Overloaded`. */
  readonly reason: string;
}

/** What the user is told when no model answered. */
export const MODELS_UNAVAILABLE_MESSAGE =
  'The model service is unavailable right now (busy or unreachable). Please try again in a few minutes.';

/** Every model of the request failed with retriable errors after its attempts. */
export class AllModelsFailedError extends ModelError {
  override readonly name: string = 'AllModelsFailedError';
  readonly failures: readonly ModelFailure[];

  constructor(failures: readonly ModelFailure[], cause: unknown) {
    super(MODELS_UNAVAILABLE_MESSAGE, { cause, retriable: false });
    this.failures = failures;
  }

  /** One line for the log: each model, its attempts and last reason. */
  get detail(): string {
    return this.failures.map((f) => `${f.model} (${f.attempts} attempts): ${f.reason}`).join('; ');
  }
}

/** The turn was cancelled (a new message or a stop); nothing was retried after it. */
export class TurnCancelledError extends ModelError {
  override readonly name: string = 'TurnCancelledError';

  constructor(cause?: unknown) {
    super('the turn was cancelled', { cause });
  }
}
