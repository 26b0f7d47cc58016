/**
 * `GET /login?code=…`: redeems a one-time login link, sets the session cookie and redirects to
 * the page. A missing, unknown, used or expired code answers 401 saying which.
 */
import type { Handler } from 'hono';
import { setCookie } from 'hono/cookie';
import type { GatewayEnv, Refusal } from '../types.ts';
import type { LoginLinks } from './login-links.ts';
import { SESSION_COOKIE, type Sessions } from './sessions.ts';

export interface LoginOptions {
  readonly sessions: Sessions;
  readonly links: LoginLinks;
  /** Mark the cookie `Secure`; default: when the request came over https. */
  readonly secureCookie?: boolean;
  /** Where to go after logging in (default `/`). */
  readonly redirectTo?: string;
}

const WHY = {
  unknown: 'login code not recognised',
  'already used': 'login code already used; ask for a new link',
  expired: 'login code expired; ask for a new link',
} as const;

export function loginHandler(options: LoginOptions): Handler<GatewayEnv> {
  return async function login(c) {
    const code = c.req.query('code');
    if (code === undefined || code === '') {
      const body: Refusal = { error: 'unauthorized', why: 'login needs ?code=<one-time code>' };
      return c.json(body, 401);
    }
    const redeemed = options.links.redeem(code);
    if (!redeemed.ok) {
      const body: Refusal = { error: 'unauthorized', why: WHY[redeemed.why] };
      return c.json(body, 401);
    }
    const token = await options.sessions.issue(redeemed.user);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: options.sessions.ttlSeconds,
      secure: options.secureCookie ?? new URL(c.req.url).protocol === 'https:',
    });
    return c.redirect(options.redirectTo ?? '/', 302);
  };
}
