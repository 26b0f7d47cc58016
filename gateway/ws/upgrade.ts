/**
 * Who opens a WebSocket: the same rules as the HTTP API, applied to the upgrade request. A
 * foreign `Origin` (isForeignOrigin, as the Origin guard) is refused with 403; then the bearer
 * token (`Authorization`) or the `qf_session` cookie is resolved by `resolveIdentity`, the
 * workspace coming from `?workspace=` (a browser cannot set headers on a WebSocket) or the
 * `X-QF-Workspace` header. A refusal is written as a plain HTTP response on the socket.
 */
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookies } from 'hono/utils/cookie';
import {
  type AuthenticateOptions,
  type IdentityResult,
  isForeignOrigin,
  resolveIdentity,
  SESSION_COOKIE,
} from '../auth/index.ts';

export interface UpgradeAuthOptions extends AuthenticateOptions {
  /** Origins allowed besides the gateway's own. */
  readonly allowedOrigins?: readonly string[];
}

/** Resolves the identity of an upgrade request, or the refusal to write. */
export type UpgradeAuthenticator = (request: IncomingMessage) => Promise<IdentityResult>;

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function createUpgradeAuthenticator(options: UpgradeAuthOptions): UpgradeAuthenticator {
  const allowed = new Set(options.allowedOrigins ?? []);
  return async function authenticateUpgrade(request) {
    const origin = header(request, 'origin');
    if (origin !== undefined) {
      const own = `${'encrypted' in request.socket ? 'https' : 'http'}://${header(request, 'host') ?? ''}`;
      if (isForeignOrigin(origin, own, allowed)) {
        return { status: 403, refusal: { error: 'forbidden', why: `origin ${origin} is not allowed` } };
      }
    }
    const cookie = header(request, 'cookie');
    const url = new URL(request.url ?? '/', 'http://gateway');
    return resolveIdentity(options, {
      authorization: header(request, 'authorization'),
      sessionCookie: cookie === undefined ? undefined : parseCookies(cookie, SESSION_COOKIE)[SESSION_COOKIE],
      workspace: url.searchParams.get('workspace') ?? header(request, 'x-qf-workspace'),
    });
  };
}

/** Answers an upgrade with a plain HTTP refusal (JSON body) and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: object): void {
  const json = JSON.stringify(body);
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`,
  );
}
