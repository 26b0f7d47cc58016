/** `/api/alerts` through app.request(): the caller's own rules, create_alert's input and limit. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertRuleStore, createAlertRuleStore } from '../../pipeline/alerts/index.ts';
import type { ApiDeps } from './index.ts';
import { apiApp, apiFixture } from './testing/api-app.ts';

let fixture: Awaited<ReturnType<typeof apiFixture>>;
let rules: AlertRuleStore;
let rulesDir: string;
let deps: ApiDeps;

beforeAll(async () => {
  fixture = await apiFixture();
  rulesDir = mkdtempSync(join(tmpdir(), 'qf-api-alerts-'));
  rules = createAlertRuleStore({ dataDir: rulesDir });
  deps = {
    ...fixture.deps,
    // The stub identity is licence `free`: two rules.
    alerts: { rules, workspaces: fixture.deps.workspaces, limitOf: (l) => (l === 'free' ? 2 : 0) },
    now: () => Date.UTC(2026, 0, 1),
  };
}, 120_000);
afterAll(() => {
  fixture?.cleanup();
  rmSync(rulesDir, { recursive: true, force: true });
});

async function call(method: string, path: string, user: string | undefined, body?: unknown) {
  const res = await apiApp(deps).request(path, {
    method,
    headers: user === undefined ? {} : { 'x-test-user': user, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('/api/alerts', () => {
  it('answers 401 without an identity', async () => {
    expect((await call('GET', '/api/alerts', undefined)).status).toBe(401);
    expect((await call('POST', '/api/alerts', undefined, { symbol: 'BTCUSDT' })).status).toBe(401);
    expect((await call('DELETE', '/api/alerts/x', undefined)).status).toBe(401);
  });

  it("creates a level alert at the series' market time, lists it and deletes it, for the caller only", async () => {
    const created = await call('POST', '/api/alerts', 'ann', {
      symbol: 'BTC/USDT',
      kind: 'price_level',
      level: 61_000,
      direction: 'up',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const alert = created.body.alert as Record<string, string>;
    // The store's BTCUSDT trades end 2024-08-09 00:05: the rule counts from there, not from 2026.
    expect(alert).toMatchObject({
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      kind: 'price_level',
      description: 'price crosses 61000 (up)',
      mode: 'once',
    });
    expect(alert.createdAt).toMatch(/^2024-08-09T00:05:/);
    expect(created.body).toMatchObject({ used: 1, limit: 2 });
    expect(rules.list('ann')).toMatchObject([
      { id: alert.id, userId: 'ann', workspaceId: 'main', level: 61_000 },
    ]);

    expect((await call('GET', '/api/alerts', 'ann')).body).toEqual({ alerts: [alert], used: 1, limit: 2 });
    expect((await call('GET', '/api/alerts', 'bob')).body).toEqual({ alerts: [], used: 0, limit: 2 });
    expect((await call('DELETE', `/api/alerts/${alert.id}`, 'bob')).status).toBe(404);
    expect((await call('DELETE', `/api/alerts/${alert.id}`, 'ann')).body).toEqual({ deleted: alert.id });
    expect(rules.list('ann')).toEqual([]);
  });

  it("validates with create_alert's schema and names the field, refusing another user's id", async () => {
    const missing = await call('POST', '/api/alerts', 'carol', { symbol: 'BTCUSDT', kind: 'price_level' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/^level: .*for a price_level rule/);
    const badKind = await call('POST', '/api/alerts', 'carol', { symbol: 'BTCUSDT', kind: 'moon' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error).toMatch(/^kind: /);
    const sneaky = await call('POST', '/api/alerts', 'carol', {
      symbol: 'BTCUSDT',
      kind: 'price_level',
      level: 1,
      userId: 'ann',
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error).toMatch(/userId/);
    expect((await call('POST', '/api/alerts', 'carol', 'x')).status).toBe(400);
    expect(rules.list('carol')).toEqual([]);
    expect(rules.list('ann')).toEqual([]);
  });

  it("holds the caller's licence to its limit", async () => {
    for (const level of [1, 2]) {
      const r = await call('POST', '/api/alerts', 'dan', { symbol: 'BTCUSDT', kind: 'price_level', level });
      expect(r.status).toBe(201);
    }
    const third = await call('POST', '/api/alerts', 'dan', {
      symbol: 'BTCUSDT',
      kind: 'price_level',
      level: 3,
    });
    expect(third.status).toBe(400);
    expect(third.body.error).toMatch(/^licence: alert limit reached: 2 rules/);
    expect(rules.list('dan')).toHaveLength(2);
  });

  it('alerts on a drawing of the caller’s workspace (drawing_id): a trend line becomes a trend_line rule', async () => {
    const from = { time: Date.UTC(2024, 7, 8, 23, 55) * 1000, price: 61_000 };
    const to = { time: Date.UTC(2024, 7, 9, 0, 0) * 1000, price: 61_200 };
    const put = await apiApp(deps).request('/api/workspace/drawings', {
      method: 'PUT',
      headers: { 'x-test-user': 'erin', 'content-type': 'application/json' },
      body: JSON.stringify({ drawing: { type: 'trendline', from, to } }),
    });
    const { id } = (await put.json()) as { id: string };
    expect(put.status).toBe(201);
    const created = await call('POST', '/api/alerts', 'erin', { symbol: 'BTCUSDT', drawing_id: id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((created.body.alert as Record<string, string>).kind).toBe('trend_line');
    expect(rules.list('erin')).toMatchObject([
      { kind: 'trend_line', from, to, direction: 'either', extend: 'right' },
    ]);
    // Another user's workspace has no such drawing.
    const foreign = await call('POST', '/api/alerts', 'finn', { symbol: 'BTCUSDT', drawing_id: id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatch(/^drawing_id: no drawing/);
  });

  it('answers 404 where the gateway offers no alerts', async () => {
    const { alerts: _, ...without } = deps;
    const res = await apiApp(without).request('/api/alerts', { headers: { 'x-test-user': 'ann' } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/not offered/);
  });
});
