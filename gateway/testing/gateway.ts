/**
 * A gateway for tests: a movable clock, two bearer tokens (alice on free, bob on pro limited to
 * one workspace), a login-link issuer, and an `/api/whoami` route echoing identity and features.
 */
import { Hono } from 'hono';
import { createGateway, type Gateway, type GatewayDeps, type GatewayOptions } from '../app.ts';
import { createLoginLinks, type LoginLinks } from '../auth/index.ts';
import type { Tiers } from '../licences/index.ts';
import type { GatewayEnv } from '../types.ts';

export const ALICE_TOKEN = 'alice-token-0123456789abcdef';
export const BOB_TOKEN = 'bob-token-0123456789abcdef';
export const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
export const LINK_TTL_MS = 10 * 60_000;

export const TIERS: Tiers = {
  free: {
    rateLimitPerMinute: 3,
    dailyTokens: 10_000,
    souls: ['chartist'],
    chatLogRetentionDays: 7,
    researchPersistent: false,
    alerts: 2,
  },
  pro: {
    rateLimitPerMinute: 100,
    dailyTokens: 1_000_000,
    souls: ['*'],
    chatLogRetentionDays: 365,
    researchPersistent: true,
    alerts: 50,
  },
};

export interface TestGateway extends Gateway {
  readonly links: LoginLinks;
  readonly clock: { now: number };
  /** Marks a dependency (not) ready for `/readyz`. */
  readonly notReady: Set<string>;
}

export function testGateway(
  overrides: Partial<GatewayOptions> = {},
  deps: Pick<GatewayDeps, 'ws'> = {},
): TestGateway {
  // 2030-01-01T00:00:00Z, on a minute boundary so rate windows are predictable.
  const clock = { now: Date.UTC(2030, 0, 1) };
  const now = (): number => clock.now;
  const links = createLoginLinks({ ttlMs: LINK_TTL_MS, clock: now });
  const notReady = new Set<string>();
  const api = new Hono<GatewayEnv>();
  api.get('/whoami', (c) => c.json({ identity: c.get('identity'), features: c.get('features') }));
  api.post('/echo', async (c) => c.json(await c.req.json()));
  const gateway = createGateway(
    { ready: () => [...notReady], loginLinks: links, api, ...deps },
    {
      sessionSecret: SECRET,
      sessionTtlSeconds: 900,
      tokens: {
        [ALICE_TOKEN]: { userId: 'alice', licence: 'free' },
        [BOB_TOKEN]: { userId: 'bob', licence: 'pro', workspaces: ['desk', 'lab'] },
      },
      tiers: TIERS,
      allowedOrigins: ['https://charts.example.com'],
      clock: now,
      ...overrides,
    },
  );
  return { ...gateway, links, clock, notReady };
}

export const bearer = (token: string): { Authorization: string } => ({
  Authorization: `Bearer ${token}`,
});

/** The `qf_session=…` pair from a login response's Set-Cookie, ready for a Cookie header. */
export function sessionCookie(response: Response): string {
  const set = response.headers.get('Set-Cookie') ?? '';
  const pair = set.split(';')[0] ?? '';
  if (!pair.startsWith('qf_session=')) throw new Error(`no session cookie in "${set}"`);
  return pair;
}
