/**
 * Resolves who is calling and puts it on the context as `identity`: a bearer token
 * (`Authorization: Bearer …`, channel `http`) or the `qf_session` cookie (channel `web`). The
 * workspace comes from the `X-QF-Workspace` header, else the credential's first workspace,
 * else the default. No valid credential: 401 `{ error: 'unauthorized', why }`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SAFE_ID } from '../../mcp-servers/common/context.ts';
import type { Channel, GatewayEnv, Identity, Refusal } from '../types.ts';
import type { BearerTokens, TokenPrincipal } from './bearer.ts';
import { SESSION_COOKIE, type Sessions } from './sessions.ts';

/** Header naming the workspace a request acts in. */
export const WORKSPACE_HEADER = 'X-QF-Workspace';

export interface AuthenticateOptions {
  readonly sessions: Sessions;
  readonly bearer: BearerTokens;
  /** Workspace when neither the header nor the credential names one (default `default`). */
  readonly defaultWorkspace?: string;
  /** `bearer`: only a bearer token is accepted (e.g. `/metrics`); default `any`. */
  readonly accept?: 'any' | 'bearer';
}

type Resolved =
  | { readonly identity: Identity }
  | { readonly status: 400 | 401 | 403; readonly refusal: Refusal };

const unauthorized = (why: string): Resolved => ({
  status: 401,
  refusal: { error: 'unauthorized', why },
});

/**
 * Middleware requiring an identity.
 *
 * @example
 * app.use('/api/*', authenticate({ sessions, bearer }));
 * api.get('/workspace', (c) => c.json({ user: c.get('identity').userId }));
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<GatewayEnv> {
  const defaultWorkspace = options.defaultWorkspace ?? 'default';
  const bearerOnly = options.accept === 'bearer';

  const withWorkspace = (c: Context<GatewayEnv>, principal: TokenPrincipal, channel: Channel): Resolved => {
    const named = c.req.header(WORKSPACE_HEADER);
    if (named !== undefined && !SAFE_ID.test(named)) {
      return {
        status: 400,
        refusal: { error: 'bad_request', why: `${WORKSPACE_HEADER}: "${named}" is not a valid workspace id` },
      };
    }
    const workspaceId = named ?? principal.workspaces?.[0] ?? defaultWorkspace;
    if (principal.workspaces !== undefined && !principal.workspaces.includes(workspaceId)) {
      return {
        status: 403,
        refusal: { error: 'forbidden', why: `workspace ${workspaceId} is not open to this credential` },
      };
    }
    const identity: Identity = {
      userId: principal.userId,
      workspaceId,
      channel,
      licence: principal.licence,
      ...(principal.workspaces ? { workspaces: principal.workspaces } : {}),
    };
    return { identity };
  };

  const resolve = async (c: Context<GatewayEnv>): Promise<Resolved> => {
    const authorization = c.req.header('Authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (match === null) return unauthorized('Authorization header is not "Bearer <token>"');
      const principal = options.bearer.lookup(match[1]!);
      if (principal === undefined) return unauthorized('bearer token not recognised');
      return withWorkspace(c, principal, 'http');
    }
    if (bearerOnly) return unauthorized('this route needs a bearer token (Authorization: Bearer …)');
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie === undefined) {
      return unauthorized('no bearer token and no session cookie; open a login link or send a bearer token');
    }
    const session = await options.sessions.verify(cookie);
    if (!session.ok) return unauthorized(session.why);
    return withWorkspace(c, session.user, 'web');
  };

  return async function authenticateMiddleware(c, next) {
    const resolved = await resolve(c);
    if ('refusal' in resolved) return c.json(resolved.refusal, resolved.status);
    c.set('identity', resolved.identity);
    return next();
  };
}
