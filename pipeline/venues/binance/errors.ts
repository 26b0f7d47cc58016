/**
 * Errors of the Binance adapter. One base class for the boundary; "Binance said no"
 * (4xx: {@link BinanceClientError}, 5xx: {@link BinanceServerError}) is kept apart from
 * "we could not reach Binance" ({@link BinanceNetworkError}). `retriable` tells retry and
 * DLQ code what to do without matching strings.
 */
import { QuantForgeError } from '../../../core/errors.ts';

/** Context shared by every REST error: what we asked for. */
export interface BinanceRequestContext {
  readonly method: string;
  /** Path and query, e.g. `/api/v3/klines?symbol=BTCUSDT`. */
  readonly path: string;
}

/** The base of every Binance adapter error. */
export class BinanceError extends QuantForgeError {
  override readonly name: string = 'BinanceError';
}

/** Binance answered with an HTTP error status. */
export class BinanceHttpError extends BinanceError {
  override readonly name: string = 'BinanceHttpError';
  readonly status: number;
  /** Binance error code from the body (`{"code":-1121,"msg":"Invalid symbol."}`), when present. */
  readonly code: number | undefined;
  readonly request: BinanceRequestContext;

  constructor(
    message: string,
    init: {
      status: number;
      code?: number;
      request: BinanceRequestContext;
      retriable: boolean;
      cause?: unknown;
    },
  ) {
    super(message, { retriable: init.retriable, cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.request = init.request;
  }
}

/** 4xx: the request was wrong (bad symbol, bad interval...). Not retriable, except rate limits. */
export class BinanceClientError extends BinanceHttpError {
  override readonly name: string = 'BinanceClientError';
}

/**
 * 429 (too many requests) or 418 (IP banned after ignoring 429s). Retriable after
 * `retryAfterMs`; `bannedUntilMs` is set for 418.
 */
export class BinanceRateLimitError extends BinanceClientError {
  override readonly name: string = 'BinanceRateLimitError';
  readonly retryAfterMs: number;
  readonly bannedUntilMs: number | undefined;

  constructor(
    message: string,
    init: {
      status: number;
      code?: number;
      request: BinanceRequestContext;
      retryAfterMs: number;
      bannedUntilMs?: number;
    },
  ) {
    super(message, { ...init, retriable: true });
    this.retryAfterMs = init.retryAfterMs;
    this.bannedUntilMs = init.bannedUntilMs;
  }
}

/** 5xx: Binance failed on its side; retriable. */
export class BinanceServerError extends BinanceHttpError {
  override readonly name: string = 'BinanceServerError';
}

/** Binance could not be reached (DNS, refused, reset, timeout); retriable. */
export class BinanceNetworkError extends BinanceError {
  override readonly name: string = 'BinanceNetworkError';
  readonly request: BinanceRequestContext;

  constructor(message: string, init: { request: BinanceRequestContext; cause?: unknown }) {
    super(message, { retriable: true, cause: init.cause });
    this.request = init.request;
  }
}

/** A 2xx response whose body was not the shape we expected (not retriable: retrying gives the same body). */
export class BinanceDecodeError extends BinanceError {
  override readonly name: string = 'BinanceDecodeError';
  readonly request: BinanceRequestContext;

  constructor(message: string, init: { request: BinanceRequestContext; cause?: unknown }) {
    super(message, { retriable: false, cause: init.cause });
    this.request = init.request;
  }
}
