/**
 * Who is calling, as the gateway's auth middleware puts it on the hono context
 * (`c.set('identity', …)`). The API reads only these fields; a request without one is refused,
 * so the routes stay safe even when mounted without auth.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';

/** The identity fields the API relies on (the auth layer's identity has at least these). */
export interface ApiIdentity {
  readonly userId: string;
  readonly workspaceId: string;
  /** Where the request comes from (web, mcp, telegram…). */
  readonly channel: string;
  /** The caller's licence (its shape belongs to the licence manager). */
  readonly licence: unknown;
}

/** Hono environment of the API routes. */
export interface ApiEnv {
  Variables: { identity?: ApiIdentity };
}

const identitySchema = z.object({
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  channel: z.string(),
});

/** Answers 401 unless the context holds an identity with a user and a workspace. */
export function requireIdentity(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!identitySchema.safeParse(c.get('identity')).success) {
      return c.json({ error: 'unauthorized: sign in or send a bearer token' }, 401);
    }
    await next();
  };
}

/** The caller's identity (after {@link requireIdentity}). */
export function identityOf(c: Context<ApiEnv>): ApiIdentity {
  const identity = c.get('identity');
  if (identity === undefined) throw new Error('identityOf called on a route without requireIdentity');
  return identity;
}
