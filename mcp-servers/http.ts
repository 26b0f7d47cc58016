/**
 * One HTTP listener serving every enabled MCP server at `/mcp/<server>` over streamable HTTP,
 * behind DNS-rebinding protection and bearer-token auth. Each MCP session gets its own server
 * instance; the user of every call is read from the request's token, so a session cannot be
 * carried over to another user.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { type BuiltServer, CONTEXT_AUTH_KEY, contextFromAuthInfo } from './common/index.ts';
import { type AuthVariables, bearerTokenAuth, dnsRebindingGuard, type TokenGrant } from './http-auth.ts';
import { createNamedServer, isMcpServerName, type McpServerName } from './registry.ts';
import type { McpServices } from './services.ts';

/** Options of {@link createMcpHttpApp}. */
export interface McpHttpOptions {
  /** Servers served; others answer 404. */
  readonly servers: readonly McpServerName[];
  readonly tokens: Readonly<Record<string, TokenGrant>>;
  /** Host names accepted in Host/Origin (DNS-rebinding protection). */
  readonly allowedHosts: readonly string[];
  /** Sessions without a request for this long are closed (ms). Default 30 min. */
  readonly sessionIdleMs?: number;
  /** Clock (ms); default `Date.now`. */
  readonly now?: () => number;
}

interface Session {
  readonly server: McpServerName;
  readonly userId: string;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly built: BuiltServer;
  lastSeenMs: number;
}

/** The hono app and a way to close every open session. */
export interface McpHttpApp {
  readonly app: Hono<{ Variables: AuthVariables }>;
  readonly sessions: () => number;
  close(): Promise<void>;
}

/** Builds the MCP HTTP app (no port opened; see {@link startMcpHttpServer}). */
export function createMcpHttpApp(services: McpServices, options: McpHttpOptions): McpHttpApp {
  const enabled = new Set(options.servers);
  const sessions = new Map<string, Session>();
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;

  // Clients that vanish without DELETE would otherwise keep their server instance forever.
  function sweep(): void {
    const t = now();
    for (const [id, s] of sessions) {
      if (t - s.lastSeenMs > idleMs) {
        sessions.delete(id);
        void s.built.close();
      }
    }
  }
  const app = new Hono<{ Variables: AuthVariables }>();
  app.use('/mcp/*', dnsRebindingGuard(options.allowedHosts));
  app.use('/mcp/*', bearerTokenAuth(options.tokens));

  app.all('/mcp/:server', async (c) => {
    const name = c.req.param('server');
    if (!isMcpServerName(name) || !enabled.has(name)) {
      return c.json({ error: `no MCP server "${name}"; served: ${[...enabled].join(', ')}` }, 404);
    }
    const ctx = c.get('qfContext');
    const authInfo = {
      token: c.get('qfToken'),
      clientId: ctx.userId,
      scopes: [],
      extra: { [CONTEXT_AUTH_KEY]: ctx },
    };
    const sessionId = c.req.header('mcp-session-id');
    sweep();
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      // Another user's session id answers like an unknown one.
      if (session === undefined || session.server !== name || session.userId !== ctx.userId) {
        return c.json(
          { jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null },
          404,
        );
      }
      session.lastSeenMs = now();
      return session.transport.handleRequest(c.req.raw, { authInfo });
    }
    // No session yet: this must be an initialize request; the transport checks that.
    const built = await createNamedServer(name, services, contextFromAuthInfo);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        sessions.set(id, { server: name, userId: ctx.userId, transport, built, lastSeenMs: now() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
        void built.close();
      },
    });
    await built.server.connect(transport);
    const response = await transport.handleRequest(c.req.raw, { authInfo });
    if (transport.sessionId === undefined) await built.close();
    return response;
  });

  return {
    app,
    sessions: () => sessions.size,
    async close() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.built.close()));
    },
  };
}

/** A listening MCP HTTP server. */
export interface McpHttpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the app on `host:port` (0 picks a free port). */
export async function startMcpHttpServer(
  services: McpServices,
  options: McpHttpOptions & { host: string; port: number },
): Promise<McpHttpServer> {
  const http = createMcpHttpApp(services, options);
  return new Promise((resolve) => {
    const server = serve(
      { fetch: http.app.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          async close() {
            await http.close();
            await new Promise<void>((done) => server.close(() => done()));
          },
        });
      },
    );
  });
}
