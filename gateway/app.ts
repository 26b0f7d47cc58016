/**
 * The gateway: one hono app, assembled from the middleware folders in this order —
 *   metrics (observes everything) → Origin guard → routes:
 *   `/healthz`, `/readyz`, `/login` public; `/metrics` bearer-only;
 *   `/api/*` and `/files/*` authenticate → licences → their sub-app; `/mcp/*` the MCP app
 *   with its own guards; `/` the web page for a signed-in session, `/welcome` otherwise.
 * No port is opened here: `app/` serves `app.fetch`, tests call `app.request()`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { AuthVariables } from '../mcp-servers/http-auth.ts';
import {
  authenticate,
  createBearerTokens,
  createSessions,
  type LoginLinks,
  loginHandler,
  originGuard,
  type TokenPrincipal,
} from './auth/index.ts';
import { type FileStore, fileRoutes } from './files/index.ts';
import { createLicences, type Tiers } from './licences/index.ts';
import { createMetrics } from './metrics/index.ts';
import { pageRoutes } from './page/index.ts';
import type { Clock, GatewayEnv, Refusal } from './types.ts';
import { createUpgradeAuthenticator, createWsHub, type WsHubDeps, type WsHubOptions } from './ws/index.ts';

export interface GatewayDeps {
  /** Names of what is not ready yet (store, stream, …); empty when the gateway can serve. */
  ready(): readonly string[] | Promise<readonly string[]>;
  /** Where `GET /login?code=…` redeems codes; `app/` issues them at start. */
  readonly loginLinks: LoginLinks;
  /** The HTTP API, mounted at `/api` behind authentication and licences. */
  readonly api?: Hono<GatewayEnv>;
  /** What the WebSocket at `/ws` serves (live feed, workspace changes, chat, files); absent: hello only. */
  readonly ws?: WsHubDeps;
  /**
   * The MCP servers over streamable HTTP (`createMcpHttpApp(...).app`), mounted as it is: its
   * `/mcp/*` routes keep their own guards (DNS rebinding, bearer tokens); the gateway adds metrics
   * and the Origin guard in front.
   */
  readonly mcp?: Hono<{ Variables: AuthVariables }>;
  /** Temporary files, served at `/files/:id` to their owner behind authentication and licences. */
  readonly files?: FileStore;
  /** Folder of the built web page (`dist/web`); absent or missing: `/` says it is not built. */
  readonly webRoot?: string;
}

export interface GatewayOptions {
  /** HS256 key of session cookies, at least 32 bytes. */
  readonly sessionSecret: string | Uint8Array;
  /** Session lifetime in seconds (default 3600). */
  readonly sessionTtlSeconds?: number;
  /** Bearer token → who it acts for. */
  readonly tokens: Readonly<Record<string, TokenPrincipal>>;
  /** Licence tier → features. */
  readonly tiers: Tiers;
  /** Origins allowed besides the gateway's own. */
  readonly allowedOrigins?: readonly string[];
  /** Workspace when the request names none (default `default`). */
  readonly defaultWorkspace?: string;
  /** Force the session cookie's `Secure` flag (default: when the request is https). */
  readonly secureCookie?: boolean;
  readonly clock?: Clock;
  /** WebSocket limits: subscriptions per client, backpressure thresholds. */
  readonly ws?: WsHubOptions;
}

export interface Gateway {
  readonly app: Hono<GatewayEnv>;
  /** The gateway's own metrics registry, for `app/` to add gauges (connected clients…). */
  readonly registry: Registry;
  /**
   * The WebSocket at `/ws`: hand it the http server's 'upgrade' event,
   * `server.on('upgrade', gateway.upgrade)`. Same Origin rule and credentials as `/api`.
   */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Connected WebSocket clients. */
  wsClients(): number;
  /** Closes the WebSocket connections (the http server is app/'s to close). */
  close(): Promise<void>;
}

/**
 * Builds the gateway.
 *
 * @example
 * const { app } = createGateway(
 *   { ready: () => [], loginLinks: createLoginLinks({ ttlMs: 600_000 }), api },
 *   { sessionSecret, tokens: { [mcpToken]: { userId: 'owner', licence: 'pro' } }, tiers },
 * );
 * serve({ fetch: app.fetch, port: 8080 });
 */
export function createGateway(deps: GatewayDeps, options: GatewayOptions): Gateway {
  const clock = options.clock ?? Date.now;
  const sessions = createSessions({
    secret: options.sessionSecret,
    clock,
    ...(options.sessionTtlSeconds === undefined ? {} : { ttlSeconds: options.sessionTtlSeconds }),
  });
  const bearer = createBearerTokens(options.tokens);
  const licences = createLicences({ tiers: options.tiers, clock });
  const metrics = createMetrics();
  const identityOptions = {
    sessions,
    bearer,
    ...(options.defaultWorkspace === undefined ? {} : { defaultWorkspace: options.defaultWorkspace }),
  };

  const app = new Hono<GatewayEnv>();
  app.use('*', metrics.middleware);
  app.use(
    '*',
    originGuard(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    let notReady: readonly string[];
    try {
      notReady = await deps.ready();
    } catch (error) {
      notReady = [`readiness check failed: ${error instanceof Error ? error.message : String(error)}`];
    }
    return notReady.length === 0
      ? c.json({ status: 'ready' })
      : c.json({ status: 'not ready', notReady }, 503);
  });
  app.get(
    '/login',
    loginHandler({
      sessions,
      links: deps.loginLinks,
      ...(options.secureCookie === undefined ? {} : { secureCookie: options.secureCookie }),
    }),
  );
  app.get('/metrics', authenticate({ ...identityOptions, accept: 'bearer' }), metrics.handler);

  app.use('/api/*', authenticate(identityOptions), licences.middleware);
  if (deps.api !== undefined) app.route('/api', deps.api);
  if (deps.mcp !== undefined) app.route('/', deps.mcp);
  if (deps.files !== undefined) {
    app.use('/files/*', authenticate(identityOptions), licences.middleware);
    app.route('/files', fileRoutes(deps.files, clock));
  }
  // The page last: its assets are served for any GET no route above took.
  app.route('/', pageRoutes({ sessions, ...(deps.webRoot === undefined ? {} : { root: deps.webRoot }) }));

  app.notFound((c) => {
    const body: Refusal = { error: 'not_found', why: `no route ${c.req.method} ${c.req.path}` };
    return c.json(body, 404);
  });

  const hub = createWsHub(
    {
      ...(deps.files === undefined ? {} : { files: deps.files }),
      ...deps.ws,
      registry: metrics.registry,
      authenticate: createUpgradeAuthenticator({
        ...identityOptions,
        ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
      }),
    },
    options.ws,
  );

  return {
    app,
    registry: metrics.registry,
    upgrade: hub.upgrade,
    wsClients: hub.clients,
    close: hub.close,
  };
}
