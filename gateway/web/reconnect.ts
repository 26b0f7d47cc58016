/**
 * When to try the WebSocket again: exponential backoff with jitter, reset once a connection has
 * held. Plain: the caller owns the timer.
 */

export interface BackoffOptions {
  /** First delay, ms (default 500). */
  readonly initialMs?: number;
  /** Longest delay, ms (default 15 000). */
  readonly maxMs?: number;
  /** Growth per failed attempt (default 2). */
  readonly factor?: number;
  /** Spread, 0..1: the delay is scaled by a random factor in [1 - jitter, 1] (default 0.3), so many pages do not reconnect in step. */
  readonly jitter?: number;
  /** Random source in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export interface Backoff {
  /** The delay before the next attempt, ms; each call grows the following one. */
  next(): number;
  /** A connection succeeded: start again from the first delay. */
  reset(): void;
  /** Failed attempts since the last reset. */
  readonly attempts: number;
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 15_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.3;
  const random = options.random ?? Math.random;
  if (!(initial > 0 && max >= initial && factor >= 1 && jitter >= 0 && jitter <= 1)) {
    throw new RangeError('backoff needs 0 < initialMs <= maxMs, factor >= 1 and 0 <= jitter <= 1');
  }
  let attempts = 0;
  return {
    next() {
      const base = Math.min(max, initial * factor ** attempts);
      attempts++;
      return Math.round(base * (1 - jitter * random()));
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
