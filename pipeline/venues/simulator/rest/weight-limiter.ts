/** Result of charging a request's weight. */
export type WeightCharge =
  | { readonly ok: true; readonly used: number }
  | { readonly ok: false; readonly used: number; readonly retryAfterS: number };

/** Request-weight accounting per UTC minute, as Binance's `REQUEST_WEIGHT` 1-minute limit. */
export interface WeightLimiter {
  /** Adds `weight` to the current minute unless that would pass the limit. */
  charge(weight: number): WeightCharge;
  /** Weight used in the current minute. */
  used(): number;
}

/**
 * A fixed-window weight counter: the window is the current UTC minute (Binance resets its
 * counter on the minute). A refused request does not count; `retryAfterS` is the seconds
 * to the next minute, rounded up, as Binance's `Retry-After`.
 */
export function createWeightLimiter(limit: number, now: () => number): WeightLimiter {
  let minute = -1;
  let used = 0;
  const roll = (t: number): void => {
    const m = Math.floor(t / 60_000);
    if (m !== minute) {
      minute = m;
      used = 0;
    }
  };
  return {
    charge(weight) {
      const t = now();
      roll(t);
      if (used + weight > limit) {
        return { ok: false, used, retryAfterS: Math.max(1, Math.ceil(((minute + 1) * 60_000 - t) / 1000)) };
      }
      used += weight;
      return { ok: true, used };
    },
    used() {
      roll(now());
      return used;
    },
  };
}
