/**
 * A fixed-window request counter per key (user): windows are aligned to multiples of
 * `windowMs`, one small record per key, replaced when its window has passed.
 */
import type { Clock } from '../types.ts';

export type RateDecision =
  | { readonly allowed: true; readonly remaining: number }
  | { readonly allowed: false; readonly retryAfterMs: number };

export interface RateLimiter {
  /** Counts one request for `key` against `limit` in the current window. */
  take(key: string, limit: number): RateDecision;
}

interface Window {
  start: number;
  count: number;
}

export function createFixedWindowLimiter(options: { windowMs: number; clock: Clock }): RateLimiter {
  const windows = new Map<string, Window>();
  return {
    take(key, limit) {
      const now = options.clock();
      const start = now - (now % options.windowMs);
      let window = windows.get(key);
      if (window === undefined) {
        window = { start, count: 0 };
        windows.set(key, window);
      } else if (window.start !== start) {
        window.start = start;
        window.count = 0;
      }
      if (window.count >= limit) {
        return { allowed: false, retryAfterMs: start + options.windowMs - now };
      }
      window.count += 1;
      return { allowed: true, remaining: limit - window.count };
    },
  };
}
