/**
 * Who is calling, as the gateway's auth middleware puts it on the hono context
 * (`c.set('identity', …)`). The API reads only these fields; a request without one is refused,
 * so the routes stay safe even when mounted without auth.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { GatewayEnv, Identity } from '../types.ts';

/** The caller, as the gateway's auth puts it on the context. */
export type ApiIdentity = Identity;

/** Hono environment of the API routes: the gateway's, so the sub-app mounts at `/api` as is. */
export type ApiEnv = GatewayEnv;

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
  // Typed as always set (the gateway's auth sets it); checked because the sub-app may be mounted without auth.
  const identity = c.get('identity') as Identity | undefined;
  if (identity === undefined) throw new Error('identityOf called on a route without requireIdentity');
  return identity;
}
