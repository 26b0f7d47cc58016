import { describe, expect, it } from 'vitest';
import { describeConnection, midPrice } from './status-line.ts';

describe('status line', () => {
  it('prints a mid price without binary floating-point noise', () => {
    expect(String((61661.99 + 61662) / 2)).toBe('61661.994999999995');
    expect(midPrice(61661.99, 61662)).toBe(61661.995);
    expect(midPrice(61661.99, 61662.01)).toBe(61662);
    expect(midPrice(0.00012345, 0.00012346)).toBe(0.000123455);
    expect(midPrice(100, 101)).toBe(100.5);
  });

  it('says what the connection is doing', () => {
    expect(describeConnection({ kind: 'open' })).toBe('● live');
    expect(describeConnection({ kind: 'waiting', retryInMs: 1500, code: 1006, reason: 'closed' })).toBe(
      'disconnected (closed); retrying in 2 s',
    );
  });
});
