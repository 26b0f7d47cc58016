import { describe, expect, it } from 'vitest';
import { createBackoff } from './reconnect.ts';

describe('createBackoff', () => {
  it('doubles up to the cap, and starts again after reset', () => {
    const b = createBackoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(100);
  });

  it('spreads delays down by at most the jitter', () => {
    const low = createBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0.999999 });
    const high = createBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
    expect(low.next()).toBe(500);
    expect(high.next()).toBe(1000);
  });

  it('refuses settings that would never wait', () => {
    expect(() => createBackoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => createBackoff({ initialMs: 100, maxMs: 50 })).toThrow(RangeError);
  });
});
