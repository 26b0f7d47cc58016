/**
 * HTTP guards of the MCP endpoint: DNS-rebinding protection (Host and Origin must be allowed)
 * and bearer-token auth (token → user and the workspaces it may use). Checked before any
 * MCP message is read.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { RequestContext } from './common/index.ts';

/** What a bearer token grants (secrets.yaml `mcp.tokens.<token>`). */
export interface TokenGrant {
  readonly userId: string;
  /** Workspaces the token may use; empty: only the user's default workspace. */
  readonly workspaceIds: readonly string[];
  /** Licence tier; default `standard`. */
  readonly licence?: string;
}

/** Workspace used when a request names none and the grant lists none. */
export const DEFAULT_WORKSPACE_ID = 'default';
/** Header a client uses to pick one of its granted workspaces. */
export const WORKSPACE_HEADER = 'x-quantforge-workspace';

function hostnameOf(hostHeader: string): string {
  // "[::1]:8081" → "[::1]", "localhost:8081" → "localhost"
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

/**
 * Rejects requests whose Host (or Origin, when sent) is not in `allowedHosts` with 403: a web
 * page on another site resolving its name to 127.0.0.1 cannot drive the local server.
 */
export function dnsRebindingGuard(allowedHosts: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  if (allowed.size === 0) throw new Error('dnsRebindingGuard: allowedHosts must not be empty');
  return async function dnsRebinding(c, next) {
    const host = hostnameOf((c.req.header('host') ?? '').toLowerCase());
    if (!allowed.has(host)) return c.json(rpcError(`Host "${host}" is not allowed`), 403);
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== 'null') {
      let originHost = '';
      try {
        originHost = hostnameOf(new URL(origin).host.toLowerCase());
      } catch {
        // an unparseable Origin is refused below
      }
      if (!allowed.has(originHost)) return c.json(rpcError(`Origin "${origin}" is not allowed`), 403);
    }
    await next();
  };
}

/** Variables the auth middleware sets on the hono context. */
export interface AuthVariables {
  qfContext: RequestContext;
  qfToken: string;
}

/**
 * Bearer auth: 401 (with `WWW-Authenticate: Bearer`) without a known token; 403 when the
 * requested workspace is not granted. Sets `qfContext` for the MCP handler.
 */
export function bearerTokenAuth(
  tokens: Readonly<Record<string, TokenGrant>>,
): MiddlewareHandler<{ Variables: AuthVariables }> {
  const grants = new Map(Object.entries(tokens));
  return async function bearerToken(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const grant = match ? grants.get(match[1]!) : undefined;
    if (match === null || grant === undefined)
      return unauthorized(c, match === null ? 'missing bearer token' : 'unknown token');
    const asked = c.req.header(WORKSPACE_HEADER);
    const workspaceId = asked ?? grant.workspaceIds[0] ?? DEFAULT_WORKSPACE_ID;
    const granted = grant.workspaceIds.length === 0 ? [DEFAULT_WORKSPACE_ID] : grant.workspaceIds;
    if (!granted.includes(workspaceId)) {
      return c.json(
        rpcError(`workspace "${workspaceId}" is not granted to this token; granted: ${granted.join(', ')}`),
        403,
      );
    }
    c.set('qfToken', match[1]!);
    c.set('qfContext', {
      userId: grant.userId,
      workspaceId,
      channel: 'http',
      licence: grant.licence ?? 'standard',
    });
    await next();
  };
}

function unauthorized(c: Context, reason: string): Response {
  c.header(
    'WWW-Authenticate',
    `Bearer realm="quantforge-mcp", error="invalid_token", error_description="${reason}"`,
  );
  return c.json(rpcError(`Unauthorized: ${reason}`), 401);
}

function rpcError(message: string): { jsonrpc: '2.0'; error: { code: number; message: string }; id: null } {
  return { jsonrpc: '2.0', error: { code: -32001, message }, id: null };
}
