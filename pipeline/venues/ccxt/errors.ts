import ccxt from 'ccxt';
import { QuantForgeError } from '../../../core/errors.ts';

/**
 * A ccxt call failed. `retriable` keeps "could not reach it" (ccxt NetworkError, including
 * rate limiting and timeouts) apart from "the exchange said no" (ExchangeError, BadSymbol…).
 */
export class CcxtVenueError extends QuantForgeError {
  override readonly name: string = 'CcxtVenueError';
  readonly exchange: string;
  readonly operation: string;

  constructor(exchange: string, operation: string, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${exchange} ${operation} failed: ${detail}`, {
      cause,
      retriable: cause instanceof ccxt.NetworkError,
    });
    this.exchange = exchange;
    this.operation = operation;
  }
}

/** Runs one ccxt call, wrapping what it throws. */
export async function callCcxt<T>(exchange: string, operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new CcxtVenueError(exchange, operation, err);
  }
}
