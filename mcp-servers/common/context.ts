/**
 * The request context every tool acts in: who is asking, in which workspace, over which channel,
 * under which licence. It comes from the transport (HTTP bearer token, stdio config), never from a
 * tool argument, so one user cannot name another's workspace.
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { QuantForgeError } from '../../core/errors.ts';

/** Who a tool call acts for. */
export interface RequestContext {
  readonly userId: string;
  readonly workspaceId: string;
  /** `stdio`, `http`, `telegram`, `web`, `agent`… */
  readonly channel: string;
  /** Licence tier, e.g. `free`, `pro`; `local` for a stdio server on the user's own machine. */
  readonly licence: string;
}

/** What the SDK hands a tool handler besides its arguments. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Resolves the context of one tool call from what the transport attached to it. */
export type ContextResolver = (extra: ToolExtra) => RequestContext;

/** The transport gave no identity (e.g. an HTTP request that slipped past auth). */
export class MissingContextError extends QuantForgeError {
  override readonly name: string = 'MissingContextError';
}

/** A resolver that always answers `context` (stdio: one user on their own machine; tests). */
export function fixedContext(context: RequestContext): ContextResolver {
  const frozen = Object.freeze({ ...context });
  return function fixedContextResolver() {
    return frozen;
  };
}

/** Key under `AuthInfo.extra` where the HTTP transport stores the resolved context. */
export const CONTEXT_AUTH_KEY = 'qfContext';

/**
 * Reads the context the HTTP auth middleware put in `authInfo.extra` (see `http.ts`).
 * Throws when there is none: an unauthenticated call must never fall back to some default user.
 */
export const contextFromAuthInfo: ContextResolver = function contextFromAuthInfo(extra) {
  const value = extra.authInfo?.extra?.[CONTEXT_AUTH_KEY];
  if (!isRequestContext(value)) {
    throw new MissingContextError('this request carries no authenticated user; send a bearer token');
  }
  return value;
};

function isRequestContext(value: unknown): value is RequestContext {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.userId === 'string' &&
    typeof v.workspaceId === 'string' &&
    typeof v.channel === 'string' &&
    typeof v.licence === 'string'
  );
}

/** A user or workspace id safe to use as a file name: letters, digits, `_`, `-`, `.` (not leading). */
export const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;
