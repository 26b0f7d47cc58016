/**
 * The gateway of one process, on one port: the HTTP API over the store and the workspaces, the
 * MCP servers at `/mcp/<server>`, temporary files at `/files/:id`, the web page at `/`, and the
 * login link printed at start. Credentials come from secrets.yaml or, on a fresh install, from
 * `<dataDir>/_gateway/credentials.json` (generated once; see ./credentials.ts).
 *
 * Used by `quantforge start` (app/platform.ts) and `quantforge gateway` (app/commands/gateway.ts).
 */
import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import type { AgentRuntime } from '../agents/runtime/agent.ts';
import type { Logger } from '../core/logger.ts';
import { createApiRoutes, createLiveBarCache, type LiveBarCache } from '../gateway/api/index.ts';
import { createLoginLinks } from '../gateway/auth/index.ts';
import { createFileStore, type FileStore } from '../gateway/files/index.ts';
import { createGateway, type TokenPrincipal } from '../gateway/index.ts';
import {
  type ChatHandler,
  createAlertInbox,
  createLiveRouter,
  createWorkspaceFeed,
  webAlertSink,
} from '../gateway/ws/index.ts';
import { createMcpHttpApp } from '../mcp-servers/http.ts';
import { DEFAULT_WORKSPACE_ID, type TokenGrant } from '../mcp-servers/http-auth.ts';
import { MCP_SERVER_NAMES, type McpServerName } from '../mcp-servers/registry.ts';
import type { McpServices } from '../mcp-servers/services.ts';
import type { AlertSink } from '../pipeline/alerts/index.ts';
import { createZmqSubscriber, ZMQ_TOPICS } from '../pipeline/realtime/index.ts';
import type { Config, Secrets } from './config/index.ts';
import { gatewayTiers } from './config/sections/licences.ts';
import { loadOrCreateCredentials, OWNER_USER_ID } from './credentials.ts';

/** The built web page of this checkout (another build step writes it). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../dist/web', import.meta.url));
/** Bars per series and period the live-bar cache keeps (a day of 1m bars, about). */
const LIVE_BAR_CAPACITY = 1500;
/** How often expired temporary files are deleted, at most. */
const SWEEP_EVERY_MS = 5 * 60_000;
/** Licence of an MCP token that names none (as mcp-servers/http-auth.ts assumes). */
const DEFAULT_TOKEN_LICENCE = 'standard';

/**
 * The MCP servers the gateway serves at `/mcp/<server>`: the configured toolsets this build has,
 * except backfill (it needs a backfill service of its own: `quantforge mcp http` serves it).
 */
export function platformMcpServers(toolsets: readonly string[]): McpServerName[] {
  return MCP_SERVER_NAMES.filter((n) => n !== 'backfill' && toolsets.includes(n));
}

export interface StartGatewayDeps {
  readonly logger: Logger;
  /** The MCP servers' shared services: the store reader and the workspaces the API reads too. */
  readonly services: McpServices;
  /** The agents, when a model is configured: the WebSocket chat goes to them. */
  readonly agents?: AgentRuntime;
}

export interface StartGatewayOptions {
  /** MCP servers served at `/mcp/<server>`. */
  readonly servers: readonly McpServerName[];
  /** Folder of the built web page; default `dist/web` of this checkout. */
  readonly webRoot?: string;
  /** Overrides config gateway.host / gateway.port (the CLI's --host / --port). */
  readonly host?: string;
  readonly port?: number;
  /**
   * The ZeroMQ feed relayed to open charts and the live-bar cache (the platform's publisher, or
   * config realtime.zmq.pubEndpoint for a gateway of its own); a wildcard host means this machine.
   */
  readonly liveEndpoint: string;
}

/** A listening gateway. */
export interface RunningGateway {
  /** Where users reach it: config gateway.publicUrl, else `http://<host>:<port>`. */
  readonly url: string;
  /** `<url>/login?code=…`: a one-time link signing the owner in (fresh at every start). */
  readonly loginUrl: string;
  /** The owner's MCP bearer token (generated once into the data dir). */
  readonly mcpToken: string;
  /** The Node HTTP server, for a WebSocket `upgrade` handler. */
  readonly server: Server;
  /** Recent bars of the live feed, read by `/api/candles`. */
  readonly liveBars: LiveBarCache;
  /** Temporary files served at `/files/:id`. */
  readonly files: FileStore;
  /**
   * The channels this gateway delivers alerts to, for the alert deliverer (app/platform.ts): the
   * web page (a per-user inbox under `<dataDir>/alerts-inbox/`, pushed to open connections).
   */
  readonly alertSinks: readonly AlertSink[];
  stop(): Promise<void>;
}

/** Host names the MCP DNS-rebinding guard accepts: the configured ones, the public URL's, the listen address. */
function mcpAllowedHosts(config: Config, host: string): string[] {
  const hosts = new Set(config.mcp.http.allowedHosts);
  if (config.gateway.publicUrl !== undefined) hosts.add(new URL(config.gateway.publicUrl).hostname);
  if (host !== '0.0.0.0' && host !== '::') hosts.add(host);
  return [...hosts];
}

/** `tcp://*:5556` / `tcp://0.0.0.0:5556` as a subscriber connects to it: this machine. */
function connectableEndpoint(endpoint: string): string {
  return endpoint.replace(/^tcp:\/\/(\*|0\.0\.0\.0)(?=:)/, 'tcp://127.0.0.1');
}

function baseUrl(config: Config, info: AddressInfo): string {
  if (config.gateway.publicUrl !== undefined) return config.gateway.publicUrl.replace(/\/+$/, '');
  const wildcard = info.address === '0.0.0.0' || info.address === '::';
  const host = wildcard ? '127.0.0.1' : info.family === 'IPv6' ? `[${info.address}]` : info.address;
  return `http://${host}:${info.port}`;
}

/** Builds the gateway over `deps.services` and listens; resolves once it accepts connections. */
export async function startGateway(
  deps: StartGatewayDeps,
  config: Config,
  secrets: Secrets,
  options: StartGatewayOptions,
): Promise<RunningGateway> {
  const { logger, services } = deps;
  const { gateway: gw, licences } = config;
  const credentials = loadOrCreateCredentials(services.dataDir);
  const host = options.host ?? gw.host;

  // One token table, two shapes: the MCP app's grants and the gateway's principals.
  const grants: Record<string, TokenGrant> = {};
  const principals: Record<string, TokenPrincipal> = {};
  for (const [token, grant] of Object.entries(secrets.mcp.tokens)) {
    const licence = grant.licence ?? DEFAULT_TOKEN_LICENCE;
    grants[token] = { userId: grant.userId, workspaceIds: grant.workspaceIds, licence };
    // An empty list means the default workspace only, as on the MCP endpoint.
    const workspaces = grant.workspaceIds.length > 0 ? grant.workspaceIds : [DEFAULT_WORKSPACE_ID];
    principals[token] = { userId: grant.userId, licence, workspaces };
  }
  grants[credentials.ownerMcpToken] = {
    userId: OWNER_USER_ID,
    workspaceIds: [],
    licence: licences.ownerTier,
  };
  principals[credentials.ownerMcpToken] = { userId: OWNER_USER_ID, licence: licences.ownerTier };

  const mcp = createMcpHttpApp(services, {
    servers: options.servers,
    tokens: grants,
    allowedHosts: mcpAllowedHosts(config, host),
  });
  const liveBars = createLiveBarCache({ capacity: LIVE_BAR_CAPACITY });
  const files = createFileStore({
    dir: join(services.dataDir, '_files'),
    ttlMs: gw.files.ttlMinutes * 60_000,
    maxBytes: gw.files.maxBytes,
  });
  const loginLinks = createLoginLinks({ ttlMs: gw.loginLinkTtlMinutes * 60_000 });

  // The live feed: each ZeroMQ message is decoded once, kept in the live-bar cache when it is a
  // bar, and relayed to the WebSocket clients subscribed to its series. Trades (most of the
  // feed) are received only for the series someone follows.
  const live = createLiveRouter({
    watch: (topic) =>
      topic.stream === 'trades'
        ? feed.follow(ZMQ_TOPICS.trade(topic.exchange, topic.symbol))
        : () => undefined,
  });
  const feed = createZmqSubscriber(
    {
      logger,
      onEvent: (event) => {
        if (event.kind === 'bar') liveBars.update(event);
        live.publish(event);
      },
    },
    { endpoint: connectableEndpoint(options.liveEndpoint), prefixes: ['bar.', 'book.', 'ticker.'] },
  );
  const workspaceFeed = createWorkspaceFeed({
    store: services.workspaces,
    dataDir: services.dataDir,
    logger,
  });
  const alertInbox = createAlertInbox({ dataDir: services.dataDir });
  const agents = deps.agents;
  const chat: ChatHandler | undefined =
    agents &&
    ((identity, request) =>
      agents.chat({
        context: identity,
        text: request.text,
        signal: request.signal,
        onEvent: request.onEvent,
        ...(request.soul === undefined ? {} : { soul: request.soul }),
      }));

  const gateway = createGateway(
    {
      ready: () => [],
      loginLinks,
      api: createApiRoutes({
        market: services.market,
        workspaces: services.workspaces,
        liveBars,
        // The page's alerts: the rule store and licence limits the market-data MCP tools use.
        alerts: {
          rules: services.alerts,
          workspaces: services.workspaces,
          limitOf: (licence) =>
            Object.hasOwn(services.alertLimits, licence) ? (services.alertLimits[licence] ?? 0) : 0,
        },
      }),
      mcp: mcp.app,
      files,
      webRoot: resolve(options.webRoot ?? DEFAULT_WEB_ROOT),
      ws: {
        live,
        workspaces: workspaceFeed,
        alerts: alertInbox,
        logger,
        ...(chat === undefined ? {} : { chat }),
      },
    },
    {
      sessionSecret: secrets.gateway.sessionSecret ?? credentials.sessionSecret,
      sessionTtlSeconds: gw.sessionTtlSeconds,
      tokens: principals,
      tiers: gatewayTiers(licences.tiers),
      allowedOrigins: gw.allowedOrigins,
    },
  );

  const { app } = gateway;
  async function closeFeeds(): Promise<void> {
    await gateway.close();
    workspaceFeed.close();
    await feed.close();
  }

  const sweep = (): void => {
    files.sweep().catch((error: unknown) => logger.warn({ err: error }, 'gateway: sweeping /files failed'));
  };
  sweep();
  const sweeper = setInterval(sweep, Math.min(SWEEP_EVERY_MS, gw.files.ttlMinutes * 60_000));
  sweeper.unref();

  const { server, info } = await new Promise<{ server: ReturnType<typeof serve>; info: AddressInfo }>(
    (done, fail) => {
      const listening = serve(
        { fetch: app.fetch, hostname: host, port: options.port ?? gw.port },
        (address) => done({ server: listening, info: address }),
      );
      listening.once('error', fail);
    },
  ).catch(async (error: unknown) => {
    clearInterval(sweeper);
    await closeFeeds();
    throw error;
  });
  if (!(server instanceof Server)) throw new TypeError('gateway: expected a Node http.Server');
  server.on('upgrade', gateway.upgrade);

  const url = baseUrl(config, info);
  const code = loginLinks.issue({ userId: OWNER_USER_ID, licence: licences.ownerTier });
  logger.info({ url, servers: options.servers }, 'gateway listening');
  return {
    url,
    loginUrl: `${url}/login?code=${code}`,
    mcpToken: credentials.ownerMcpToken,
    server,
    liveBars,
    files,
    alertSinks: [webAlertSink(alertInbox)],
    async stop() {
      clearInterval(sweeper);
      await closeFeeds();
      await mcp.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        // Keep-alive connections (a browser tab) would hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
