/**
 * Signed session cookies for the web page: an HS256 JWT (jose) naming the user, their licence
 * and (optionally) the workspaces they may open, with a short expiry checked on every request.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Clock } from '../types.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'qf_session';

const ISSUER = 'quantforge-gateway';

/** Who a session is for. */
export interface SessionUser {
  readonly userId: string;
  readonly licence: string;
  readonly workspaces?: readonly string[];
}

export interface SessionOptions {
  /** HS256 key; at least 32 bytes (a string is taken as UTF-8). */
  readonly secret: string | Uint8Array;
  /** Lifetime of a session in seconds (default 3600). */
  readonly ttlSeconds?: number;
  readonly clock?: Clock;
}

export type SessionResult =
  | { readonly ok: true; readonly user: SessionUser }
  | { readonly ok: false; readonly why: string };

export interface Sessions {
  readonly ttlSeconds: number;
  /** A signed token for `user`, valid for `ttlSeconds` from now. */
  issue(user: SessionUser): Promise<string>;
  /** The user of `token`, or why it is refused (expired, bad signature, malformed). */
  verify(token: string): Promise<SessionResult>;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  lic: z.string().min(1),
  ws: z.array(z.string()).optional(),
});

/** Creates the session signer/verifier; throws when the secret is shorter than 32 bytes. */
export function createSessions(options: SessionOptions): Sessions {
  const key = typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (key.byteLength < 32) {
    throw new RangeError(`session secret: ${key.byteLength} bytes; HS256 needs at least 32`);
  }
  const ttlSeconds = options.ttlSeconds ?? 3600;
  const clock = options.clock ?? Date.now;

  return {
    ttlSeconds,
    async issue(user) {
      const now = Math.floor(clock() / 1000);
      return new SignJWT({
        lic: user.licence,
        ...(user.workspaces ? { ws: [...user.workspaces] } : {}),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.userId)
        .setIssuer(ISSUER)
        .setIssuedAt(now)
        .setExpirationTime(now + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          requiredClaims: ['exp', 'sub'],
          currentDate: new Date(clock()),
        });
        const claims = claimsSchema.safeParse(payload);
        if (!claims.success) return { ok: false, why: 'session cookie has malformed claims' };
        const { sub, lic, ws } = claims.data;
        return { ok: true, user: { userId: sub, licence: lic, ...(ws ? { workspaces: ws } : {}) } };
      } catch (error) {
        if (error instanceof errors.JWTExpired) {
          return { ok: false, why: 'session expired; open a new login link' };
        }
        if (error instanceof errors.JOSEError) {
          return { ok: false, why: `session cookie refused (${error.code})` };
        }
        throw error;
      }
    },
  };
}
