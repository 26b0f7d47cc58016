/**
 * Refuses cross-site requests by their `Origin` header: a browser sends it on every
 * cross-origin fetch and on same-origin state changes, so an `Origin` that is neither the
 * gateway's own nor in the allowed list means another site is driving the user's browser.
 * Requests without `Origin` (curl, MCP clients, same-origin GETs) pass; credentials decide.
 */
import type { MiddlewareHandler } from 'hono';
import type { GatewayEnv, Refusal } from '../types.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface OriginOptions {
  /** Origins besides the gateway's own, e.g. `['https://charts.example.com']`. */
  readonly allowedOrigins?: readonly string[];
  /** Paths under which even safe methods are checked (default `['/api/']`). */
  readonly guardedPrefixes?: readonly string[];
}

/**
 * True when a request from `origin` must be refused: it is neither the gateway's own
 * (`ownOrigin`, as the request reached it) nor listed. The middleware below and the WebSocket
 * upgrade apply this one rule.
 */
export function isForeignOrigin(origin: string, ownOrigin: string, allowed: ReadonlySet<string>): boolean {
  return origin !== ownOrigin && !allowed.has(origin);
}

/**
 * Middleware: 403 `{ error: 'forbidden', why }` naming the origin when it is foreign, for
 * state-changing methods anywhere and every method under a guarded prefix.
 *
 * @example app.use('*', originGuard({ allowedOrigins: ['http://localhost:5173'] }))
 */
export function originGuard(options: OriginOptions = {}): MiddlewareHandler<GatewayEnv> {
  const allowed = new Set(options.allowedOrigins ?? []);
  const prefixes = options.guardedPrefixes ?? ['/api/'];
  return async function originGuardMiddleware(c, next) {
    const origin = c.req.header('Origin');
    if (origin === undefined) return next();
    const guarded =
      !SAFE_METHODS.has(c.req.method) || prefixes.some((prefix) => c.req.path.startsWith(prefix));
    if (!guarded || !isForeignOrigin(origin, new URL(c.req.url).origin, allowed)) return next();
    const body: Refusal = { error: 'forbidden', why: `origin ${origin} is not allowed` };
    return c.json(body, 403);
  };
}
