/**
 * `GET /files/:id`: the caller's own temporary file. Mounted behind authentication; an unknown
 * id, another user's file and an expired one all answer the same 404, so ids cannot be probed.
 */
import { Hono } from 'hono';
import type { GatewayEnv, Refusal } from '../types.ts';
import type { FileStore } from './store.ts';

export function fileRoutes(store: FileStore, clock: () => number = Date.now): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.get('/:id', async (c) => {
    const file = await store.get(c.get('identity').userId, c.req.param('id'));
    if (file === undefined) {
      const body: Refusal = { error: 'not_found', why: 'no such file (or it expired)' };
      return c.json(body, 404);
    }
    const maxAge = Math.max(0, Math.floor((file.expiresAt - clock()) / 1000));
    return c.body(new Uint8Array(file.data), 200, {
      'Content-Type': file.contentType,
      'Cache-Control': `private, max-age=${maxAge}`,
      'X-Content-Type-Options': 'nosniff',
      // Nothing in a served file runs with the gateway's origin.
      'Content-Security-Policy': "sandbox; default-src 'none'",
    });
  });
  return app;
}
