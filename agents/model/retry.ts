/**
 * The retry policy, pure: what a failure means (retry, refused, not ours) and how long to wait.
 * The client (`client.ts`) applies it; the SDK's own retries are off so this is the only policy.
 */
import { AnthropicError, APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';

/** How hard to try one model before falling back to the next. */
export interface RetryPolicy {
  /** Attempts per model (the first call included). */
  readonly maxAttemptsPerModel: number;
  /** Backoff before the 2nd attempt; doubles per attempt, jittered. */
  readonly baseDelayMs: number;
  /** Backoff never exceeds this. */
  readonly maxDelayMs: number;
  /** A `retry-after` longer than this is waited only this long. */
  readonly maxRetryAfterMs: number;
}

/** What a failed call means. */
export type FailureVerdict =
  /** Busy, rate-limited, server error or unreachable: try again (after `retryAfterMs` if the API said). */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** The API refused the request (4xx other than 429, or a non-transient stream error). */
  | {
      readonly kind: 'refused';
      readonly status: number | undefined;
      readonly type: string | undefined;
      readonly apiMessage: string;
    }
  /** Not an API failure (a bug, an abort we did not ask for): pass it on unchanged. */
  | { readonly kind: 'unknown' };

/** Error types the API sends in a stream's `error` event that are worth another attempt. */
const TRANSIENT_STREAM_ERRORS = new Set(['overloaded_error', 'api_error', 'rate_limit_error']);

/** Classifies an error thrown by the SDK for one call. */
export function classifyFailure(error: unknown, nowMs: number): FailureVerdict {
  if (error instanceof APIUserAbortError) return { kind: 'unknown' };
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { kind: 'retry', reason: `${error.message}${cause}` };
  }
  if (error instanceof APIError) {
    const type = error.type ?? undefined;
    const apiMessage = error.apiMessage ?? error.message;
    const status = error.status;
    const retryAfterMs = parseRetryAfter(error.headers?.get('retry-after'), nowMs);
    const reason = `${status ?? 'stream'} ${type ?? 'error'}: ${apiMessage}`;
    const transient =
      status === undefined
        ? type !== undefined && TRANSIENT_STREAM_ERRORS.has(type)
        : status === 429 || status >= 500;
    if (!transient) return { kind: 'refused', status, type, apiMessage };
    return retryAfterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs };
  }
  // The SDK's stream wraps whatever broke it mid-way (socket closed, stream ended before
  // `message_stop`, an unparseable event) in a plain AnthropicError: the answer is lost, retry.
  if (error instanceof AnthropicError)
    return { kind: 'retry', reason: `stream interrupted: ${error.message}` };
  return { kind: 'unknown' };
}

/**
 * `retry-after` in milliseconds: delta-seconds (`2`, `1.5`) or an HTTP date; undefined when
 * absent, unparseable, or not in the future.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  return Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : undefined;
}

/**
 * Backoff after failed attempt `attempt` (from 1): `baseDelayMs * 2^(attempt-1)` capped at
 * `maxDelayMs`, then jittered into its upper half so clients that failed together spread out.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The delay before the next attempt: the API's `retry-after` (capped) or our backoff. */
export function retryDelayMs(
  verdict: { readonly retryAfterMs?: number },
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  return verdict.retryAfterMs === undefined
    ? backoffDelayMs(attempt, policy, random)
    : Math.min(verdict.retryAfterMs, policy.maxRetryAfterMs);
}
