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

/** Who is calling, or the refusal to answer with. */
export type IdentityResult =
  | { readonly identity: Identity }
  | { readonly status: 400 | 401 | 403; readonly refusal: Refusal };

/** The credentials a request carries, however the transport delivered them. */
export interface PresentedCredentials {
  /** The `Authorization` header. */
  readonly authorization?: string | undefined;
  /** The value of the `qf_session` cookie. */
  readonly sessionCookie?: string | undefined;
  /** The workspace the request names (the `X-QF-Workspace` header, or the WebSocket's `?workspace=`). */
  readonly workspace?: string | undefined;
}

const unauthorized = (why: string): IdentityResult => ({
  status: 401,
  refusal: { error: 'unauthorized', why },
});

/**
 * Resolves presented credentials to an identity (see the module doc); the middleware below and
 * the WebSocket upgrade share it, so both accept and refuse alike.
 */
export async function resolveIdentity(
  options: AuthenticateOptions,
  presented: PresentedCredentials,
): Promise<IdentityResult> {
  const defaultWorkspace = options.defaultWorkspace ?? 'default';

  const withWorkspace = (principal: TokenPrincipal, channel: Channel): IdentityResult => {
    const named = presented.workspace;
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

  const authorization = presented.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match === null) return unauthorized('Authorization header is not "Bearer <token>"');
    const principal = options.bearer.lookup(match[1]!);
    if (principal === undefined) return unauthorized('bearer token not recognised');
    return withWorkspace(principal, 'http');
  }
  if (options.accept === 'bearer') {
    return unauthorized('this route needs a bearer token (Authorization: Bearer …)');
  }
  const cookie = presented.sessionCookie;
  if (cookie === undefined) {
    return unauthorized('no bearer token and no session cookie; open a login link or send a bearer token');
  }
  const session = await options.sessions.verify(cookie);
  if (!session.ok) return unauthorized(session.why);
  return withWorkspace(session.user, 'web');
}

/**
 * Middleware requiring an identity.
 *
 * @example
 * app.use('/api/*', authenticate({ sessions, bearer }));
 * api.get('/workspace', (c) => c.json({ user: c.get('identity').userId }));
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<GatewayEnv> {
  const resolve = (c: Context<GatewayEnv>): Promise<IdentityResult> =>
    resolveIdentity(options, {
      authorization: c.req.header('Authorization'),
      sessionCookie: getCookie(c, SESSION_COOKIE),
      workspace: c.req.header(WORKSPACE_HEADER),
    });

  return async function authenticateMiddleware(c, next) {
    const resolved = await resolve(c);
    if ('refusal' in resolved) return c.json(resolved.refusal, resolved.status);
    c.set('identity', resolved.identity);
    return next();
  };
}
