/**
 * The gateway's HTTP API, a hono sub-app mounted at `/api`:
 * - `GET /symbols` — the symbol registry;
 * - `GET /candles?symbol=&interval=&from=&to=&limit=` — chart bars, recent ones from the live cache;
 * - `GET /quotes?symbols=` — the latest price of each symbol;
 * - `GET /workspace`, `PUT /workspace/chart`, `PUT /workspace/drawings`, `DELETE /workspace/drawings/:id` —
 *   the caller's own workspace;
 * - `GET /alerts`, `POST /alerts` (create_alert's arguments), `DELETE /alerts/:id` — the caller's own alert rules.
 *
 * Every route needs the identity the auth middleware sets (`c.get('identity')`); without it: 401.
 * Bad input: 400 with `{ error }` naming the field and what is valid.
 *
 * @example
 * gateway.route('/api', createApiRoutes({ market: reader, workspaces, liveBars }));
 */
import { Hono } from 'hono';
import { InvalidInputError } from '../../core/errors.ts';
import { alertRoutes } from './alerts.ts';
import { candleRoutes } from './candles-route.ts';
import type { ApiDeps } from './deps.ts';
import { type ApiEnv, requireIdentity } from './identity.ts';
import { quoteRoutes } from './quotes.ts';
import { symbolRoutes } from './symbols.ts';
import { workspaceRoutes } from './workspace.ts';

export type { AlertRuleAnswer } from './alerts.ts';
export type { ChartBar } from './candles.ts';
export type { ApiDeps } from './deps.ts';
export type { ApiEnv, ApiIdentity } from './identity.ts';
export { createLiveBarCache, type LiveBar, type LiveBarCache } from './live-bars.ts';
export { DEFAULT_CANDLES, MAX_CANDLES } from './params.ts';

/** Builds the API sub-app. */
export function createApiRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.use('*', requireIdentity());
  app.route('/', symbolRoutes(deps));
  app.route('/', candleRoutes(deps));
  app.route('/', quoteRoutes(deps));
  app.route('/', workspaceRoutes(deps));
  app.route('/', alertRoutes(deps));
  app.onError((error, c) => {
    if (error instanceof InvalidInputError) return c.json({ error: error.message }, 400);
    throw error;
  });
  return app;
}
