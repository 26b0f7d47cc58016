/**
 * One-time login links for a self-hosted install: `quantforge start` issues a random code for
 * the owner and prints `<url>/login?code=…`; opening it once sets the session cookie. A code is
 * single-use and expires after `ttlMs`.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../types.ts';
import type { SessionUser } from './sessions.ts';

export interface LoginLinkOptions {
  /** How long an issued code stays redeemable. */
  readonly ttlMs: number;
  readonly clock?: Clock;
}

export type RedeemResult =
  | { readonly ok: true; readonly user: SessionUser }
  | { readonly ok: false; readonly why: 'unknown' | 'already used' | 'expired' };

export interface LoginLinks {
  /** A fresh single-use code (base64url, 256 random bits) that logs in as `user`. */
  issue(user: SessionUser): string;
  /** Consumes `code`: the user once, then `already used`; `expired` after the ttl. */
  redeem(code: string): RedeemResult;
}

interface Pending {
  readonly user: SessionUser;
  readonly expiresAt: number;
  used: boolean;
}

export function createLoginLinks(options: LoginLinkOptions): LoginLinks {
  const clock = options.clock ?? Date.now;
  const codes = new Map<string, Pending>();

  // Codes are remembered one ttl past expiry, so a late second use still hears "already used".
  const prune = (now: number): void => {
    for (const [code, pending] of codes) {
      if (pending.expiresAt + options.ttlMs < now) codes.delete(code);
    }
  };

  return {
    issue(user) {
      const now = clock();
      prune(now);
      const code = randomBytes(32).toString('base64url');
      codes.set(code, { user, expiresAt: now + options.ttlMs, used: false });
      return code;
    },
    redeem(code) {
      const pending = codes.get(code);
      if (pending === undefined) return { ok: false, why: 'unknown' };
      if (pending.used) return { ok: false, why: 'already used' };
      if (clock() >= pending.expiresAt) return { ok: false, why: 'expired' };
      pending.used = true;
      return { ok: true, user: pending.user };
    },
  };
}
