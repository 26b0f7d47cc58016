/**
 * The API behind the gateway's own auth and licences (not a stub identity): a bearer token's
 * user reads and changes only their own workspace, candles come from the store, and nothing
 * answers without a credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpServices } from '../mcp-servers/services.ts';
import { openTestServices } from '../mcp-servers/testing/services.ts';
import { createApiRoutes } from './api/index.ts';
import { createGateway } from './app.ts';
import { createLoginLinks } from './auth/index.ts';
import { TIERS } from './testing/gateway.ts';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef';
let services: McpServices;
let cleanup: () => void;

beforeAll(async () => {
  ({ services, cleanup } = await openTestServices());
});
afterAll(() => cleanup());

function gateway() {
  return createGateway(
    {
      ready: () => [],
      loginLinks: createLoginLinks({ ttlMs: 60_000 }),
      api: createApiRoutes({ market: services.market, workspaces: services.workspaces }),
    },
    {
      sessionSecret: 'a-test-secret-of-at-least-32-bytes!!',
      tokens: { [ALICE]: { userId: 'alice', licence: 'pro' }, [BOB]: { userId: 'bob', licence: 'pro' } },
      tiers: TIERS,
    },
  ).app;
}
const as = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
});

describe('gateway with its API', () => {
  it('answers 401 without a credential on every API route', async () => {
    const app = gateway();
    for (const path of [
      '/api/symbols',
      '/api/candles?symbol=BTCUSDT&interval=5m',
      '/api/quotes?symbols=BTCUSDT',
      '/api/workspace',
    ])
      expect((await app.request(path)).status, path).toBe(401);
  });

  it('serves candles from the store to a bearer token, with its licence headers', async () => {
    const res = await gateway().request('/api/candles?symbol=BTCUSDT&interval=1m&limit=10', as(ALICE));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-qf-licence')).toBe('pro');
    const body = (await res.json()) as { bars: number[][] };
    expect(body.bars).toHaveLength(10);
    expect(body.bars.every((b) => b.length === 6 && b[2]! >= b[3]!)).toBe(true);
  });

  it("keeps each user's workspace their own, whatever the body says", async () => {
    const app = gateway();
    const put = await app.request(
      '/api/workspace/drawings',
      as(ALICE, { method: 'PUT', body: JSON.stringify({ drawing: { type: 'hline', price: 23000 } }) }),
    );
    expect(put.status).toBe(201);
    const forged = await app.request(
      '/api/workspace/drawings',
      as(BOB, {
        method: 'PUT',
        body: JSON.stringify({ userId: 'alice', drawing: { type: 'hline', price: 1 } }),
      }),
    );
    expect(forged.status).toBe(400);
    const bobs = (await (await app.request('/api/workspace', as(BOB))).json()) as { drawings: unknown[] };
    expect(JSON.stringify(bobs)).not.toContain('23000');
    const alices = await (await app.request('/api/workspace', as(ALICE))).json();
    expect(JSON.stringify(alices)).toContain('23000');
  });
});
