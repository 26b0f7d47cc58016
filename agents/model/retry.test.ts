import { AnthropicError, APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ErrorType } from '@anthropic-ai/sdk/resources/shared';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, classifyFailure, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry.ts';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const policy: RetryPolicy = {
  maxAttemptsPerModel: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const apiError = (status: number | undefined, type: string, headers: Record<string, string> = {}) =>
  APIError.generate(
    status,
    { type: 'error', error: { type, message: `${type} said` } },
    undefined,
    status === undefined ? undefined : new Headers(headers),
  );
/** A mid-stream `error` event: the SDK builds it with no status. */
const streamError = (type: ErrorType) =>
  new APIError(undefined, { type: 'error', error: { type, message: 'm' } }, undefined, new Headers(), type);

describe('classifyFailure', () => {
  it.each([
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'api_error'],
    [529, 'overloaded_error'],
  ])('retries %i', (status, type) => {
    expect(classifyFailure(apiError(status, type), NOW)).toEqual({
      kind: 'retry',
      reason: `${status} ${type}: ${type} said`,
    });
  });

  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
  ])('refuses %i, keeping what the API said', (status, type) => {
    expect(classifyFailure(apiError(status, type), NOW)).toEqual({
      kind: 'refused',
      status,
      type,
      apiMessage: `${type} said`,
    });
  });

  it('carries retry-after of a 429 or a 5xx', () => {
    expect(classifyFailure(apiError(429, 'rate_limit_error', { 'retry-after': '2' }), NOW)).toMatchObject({
      kind: 'retry',
      retryAfterMs: 2_000,
    });
    expect(classifyFailure(apiError(529, 'overloaded_error', { 'retry-after': '1' }), NOW)).toMatchObject({
      retryAfterMs: 1_000,
    });
  });

  it('retries transient errors sent mid-stream, refuses the others', () => {
    expect(classifyFailure(streamError('overloaded_error'), NOW).kind).toBe('retry');
    expect(classifyFailure(streamError('api_error'), NOW).kind).toBe('retry');
    expect(classifyFailure(streamError('invalid_request_error'), NOW).kind).toBe('refused');
  });

  it('retries connection failures and interrupted streams; passes on what is not ours', () => {
    const refused = new APIConnectionError({ cause: new Error('connect ECONNREFUSED 127.0.0.1:1') });
    expect(classifyFailure(refused, NOW)).toEqual({
      kind: 'retry',
      reason: 'Connection error.: connect ECONNREFUSED 127.0.0.1:1',
    });
    expect(classifyFailure(new AnthropicError('terminated'), NOW)).toEqual({
      kind: 'retry',
      reason: 'stream interrupted: terminated',
    });
    expect(classifyFailure(new APIUserAbortError(), NOW)).toEqual({ kind: 'unknown' });
    expect(classifyFailure(new TypeError('x is undefined'), NOW)).toEqual({ kind: 'unknown' });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['2', 2_000],
    [' 0.5 ', 500],
    [new Date(NOW + 7_000).toUTCString(), 7_000],
    ['0', undefined],
    [new Date(NOW - 1_000).toUTCString(), undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s -> %s ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('backoff', () => {
  it('doubles per attempt up to the cap, jittered into the upper half', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(a, policy, () => 0))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 4_000,
    ]);
    expect([1, 2, 3].map((a) => backoffDelayMs(a, policy, () => 0.999999))).toEqual([500, 1_000, 2_000]);
  });

  it('waits what retry-after says, capped; else backs off', () => {
    expect(retryDelayMs({ retryAfterMs: 2_000 }, 1, policy, () => 0)).toBe(2_000);
    expect(retryDelayMs({ retryAfterMs: 3_600_000 }, 1, policy, () => 0)).toBe(60_000);
    expect(retryDelayMs({}, 2, policy, () => 0)).toBe(500);
  });
});
