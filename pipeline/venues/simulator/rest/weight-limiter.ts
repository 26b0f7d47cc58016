/** Result of charging a request's weight. */
export type WeightCharge =
  | { readonly ok: true; readonly used: number }
  | {
      readonly ok: false;
      readonly used: number;
      readonly retryAfterS: number;
      /** True when the client is banned (HTTP 418) rather than only over the limit (429). */
      readonly banned: boolean;
      /** End of the ban, epoch ms (banned only). */
      readonly bannedUntil?: number;
    };

/** Request-weight accounting per UTC minute, as Binance's `REQUEST_WEIGHT` 1-minute limit. */
export interface WeightLimiter {
  /** Adds `weight` to the current minute unless that would pass the limit. */
  charge(weight: number): WeightCharge;
  /** Weight used in the current minute. */
  used(): number;
}

/** Binance bans an IP that keeps calling after 429s (HTTP 418, from 2 minutes up). */
export interface BanOptions {
  /** Requests refused with 429 within one minute before the ban starts. */
  readonly afterRejections: number;
  readonly durationMs: number;
}

/**
 * A fixed-window weight counter: the window is the current UTC minute (Binance resets its
 * counter on the minute). A refused request does not count; `retryAfterS` is the seconds
 * to the next minute (or to the end of a ban), rounded up, as Binance's `Retry-After`.
 */
export function createWeightLimiter(limit: number, now: () => number, ban?: BanOptions): WeightLimiter {
  let minute = -1;
  let used = 0;
  let rejections = 0;
  let bannedUntil = 0;
  const roll = (t: number): void => {
    const m = Math.floor(t / 60_000);
    if (m !== minute) {
      minute = m;
      used = 0;
      rejections = 0;
    }
  };
  const secondsUntil = (t: number, end: number): number => Math.max(1, Math.ceil((end - t) / 1000));
  return {
    charge(weight) {
      const t = now();
      roll(t);
      if (t < bannedUntil)
        return { ok: false, used, retryAfterS: secondsUntil(t, bannedUntil), banned: true, bannedUntil };
      if (used + weight > limit) {
        rejections++;
        if (ban !== undefined && rejections > ban.afterRejections) {
          bannedUntil = t + ban.durationMs;
          return { ok: false, used, retryAfterS: secondsUntil(t, bannedUntil), banned: true, bannedUntil };
        }
        return { ok: false, used, retryAfterS: secondsUntil(t, (minute + 1) * 60_000), banned: false };
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
