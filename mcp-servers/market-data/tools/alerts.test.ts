/** The alert tools through a linked MCP client: create (each way), list, delete, limit, errors. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertFire, createAlertEvaluator } from '../../../pipeline/alerts/index.ts';
import { fixedContext } from '../../common/index.ts';
import { createNamedServer } from '../../registry.ts';
import type { McpServices } from '../../services.ts';
import { callTool, linkClient, textOf } from '../../testing/link-client.ts';
import { openTestServices } from '../../testing/services.ts';
import { createAlert, marketTimeUs } from './alerts.ts';

describe('alert tools', () => {
  let services: McpServices;
  let cleanup: () => void;
  const clients: Record<string, Client> = {};
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    for (const [user, licence] of [
      ['ann', 'pro'],
      ['bob', 'free'],
      ['cid', 'nobody'],
    ] as const) {
      const ctx = fixedContext({ userId: user, workspaceId: 'main', channel: 'test', licence });
      const linked = await linkClient((await createNamedServer('market-data', services, ctx)).server);
      clients[user] = linked.client;
      closers.push(linked.close);
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of closers) await c();
    cleanup();
  });

  it('creates a level alert for the caller, lists it and deletes it', async () => {
    const ann = clients.ann!;
    const created = await callTool(ann, 'create_alert', {
      kind: 'price_level',
      symbol: 'btc/usdt',
      level: 30_000,
      direction: 'up',
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const id = /Alert (\S+) set on BINANCE:BTCUSDT: price crosses 30000 \(up\), once/.exec(
      textOf(created),
    )?.[1];
    expect(id).toBeDefined();
    const [rule] = services.alerts.list('ann');
    expect(rule).toMatchObject({
      id,
      kind: 'price_level',
      userId: 'ann',
      workspaceId: 'main',
      level: 30_000,
    });
    expect(services.alerts.list('bob')).toEqual([]);
    expect(textOf(await callTool(ann, 'list_alerts', {}))).toContain(`${id},BINANCE:BTCUSDT,price_level`);
    // Another user cannot delete it.
    const foreign = await callTool(clients.bob!, 'delete_alert', { alert_id: id! });
    expect(foreign.isError).toBe(true);
    expect(textOf(await callTool(ann, 'delete_alert', { alert_id: id! }))).toBe(`Alert ${id} deleted.`);
    expect(services.alerts.list('ann')).toEqual([]);
  });

  it('says which field a kind is missing, in the tool’s own names', async () => {
    const missing = await callTool(clients.ann!, 'create_alert', { kind: 'price_level', symbol: 'BTCUSDT' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/^level: .*for a price_level rule/);
    const window = await callTool(clients.ann!, 'create_alert', {
      kind: 'percent_move',
      symbol: 'BTCUSDT',
      percent: 2,
    });
    expect(textOf(window)).toMatch(/^window_minutes: /);
    const unknown = await callTool(clients.ann!, 'create_alert', { kind: 'zone', symbol: 'DOGEUSDT' });
    expect(textOf(unknown)).toMatch(/^symbol: /);
  });

  it('holds each licence to its limit', async () => {
    const bob = clients.bob!;
    for (const level of [1, 2]) {
      const r = await callTool(bob, 'create_alert', { kind: 'price_level', symbol: 'BTCUSDT', level });
      expect(r.isError, textOf(r)).toBeFalsy();
    }
    const third = await callTool(bob, 'create_alert', { kind: 'price_level', symbol: 'BTCUSDT', level: 3 });
    expect(third.isError).toBe(true);
    expect(textOf(third)).toContain('alert limit reached: 2 rules');
    expect(services.alerts.list('bob')).toHaveLength(2);
    const none = await callTool(clients.cid!, 'create_alert', {
      kind: 'price_level',
      symbol: 'BTCUSDT',
      level: 1,
    });
    expect(textOf(none)).toContain('your licence (nobody) includes no alerts');
  });

  it('copies a workspace trend line or zone into the rule (drawing_id)', async () => {
    const key = { userId: 'ann', workspaceId: 'main' };
    const from = { time: 1_700_000_000_000_000, price: 100 };
    const to = { time: 1_700_000_060_000_000, price: 110 };
    await services.workspaces.update(key, (ws) => ({
      ...ws,
      drawings: [
        { id: 'd1', drawing: { type: 'trendline', from, to } },
        {
          id: 'd2',
          drawing: { type: 'rect', from: { time: from.time, price: 90 }, to: { time: to.time, price: 95 } },
        },
        { id: 'd3', drawing: { type: 'vline', time: from.time } },
      ],
    }));
    const line = await callTool(clients.ann!, 'create_alert', {
      symbol: 'BTCUSDT',
      drawing_id: 'd1',
      direction: 'down',
    });
    expect(line.isError, textOf(line)).toBeFalsy();
    const zone = await callTool(clients.ann!, 'create_alert', {
      symbol: 'BTCUSDT',
      drawing_id: 'd2',
      event: 'enter',
    });
    expect(zone.isError, textOf(zone)).toBeFalsy();
    const rules = services.alerts.list('ann');
    expect(rules.find((r) => r.kind === 'trend_line')).toMatchObject({
      from,
      to,
      direction: 'down',
      extend: 'right',
    });
    expect(rules.find((r) => r.kind === 'zone')).toMatchObject({ from: 90, to: 95, event: 'enter' });
    const vline = await callTool(clients.ann!, 'create_alert', { symbol: 'BTCUSDT', drawing_id: 'd3' });
    expect(textOf(vline)).toMatch(/^drawing_id: drawing d3 is a vline/);
    const absent = await callTool(clients.ann!, 'create_alert', { symbol: 'BTCUSDT', drawing_id: 'd9' });
    expect(textOf(absent)).toMatch(/^drawing_id: no drawing "d9".*d1 \(trendline\)/);
  });

  it('dates a rule at the market time of its series, so a replay of 2024 data fires it', async () => {
    // The store holds BTCUSDT trades of 2024-08-08 23:54..2024-08-09 00:05 (the recording).
    const [trades] = services.market.describeSeries({
      dataset: 'trades',
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
    });
    const lastTradeUs = trades!.maxTimeUs;
    const created = await callTool(clients.ann!, 'create_alert', {
      kind: 'price_level',
      symbol: 'BTCUSDT',
      level: 61_000,
      direction: 'up',
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const rule = services.alerts.list('ann').find((r) => r.kind === 'price_level' && r.level === 61_000)!;
    expect(rule.createdAtUs).toBe(lastTradeUs);
    expect(new Date(rule.createdAtUs / 1000).toISOString()).toMatch(/^2024-08-09T00:0/);
    expect(textOf(created)).toContain(
      `counts from ${new Date(lastTradeUs / 1000).toISOString().slice(0, 19)}`,
    );

    // The replay goes on past the store's end: the next crossing fires it, once.
    const evaluator = createAlertEvaluator();
    evaluator.setRules([rule]);
    const out: AlertFire[] = [];
    const next = [60_900, 60_950, 61_020, 60_990, 61_050];
    for (const [i, price] of next.entries())
      evaluator.onTrade(
        'BINANCE',
        'BTCUSDT',
        1_000_000 + i,
        lastTradeUs + (i + 1) * 1_000_000,
        () => price,
        out,
      );
    expect(out.map((f) => [f.trigger, f.value])).toEqual([['t1000002', 61_020]]);

    // Created on the wall clock (as before), the same replayed crossing never fired.
    const walled = createAlertEvaluator();
    walled.setRules([{ ...rule, createdAtUs: Date.now() * 1000 }]);
    const none: AlertFire[] = [];
    for (const [i, price] of next.entries())
      walled.onTrade(
        'BINANCE',
        'BTCUSDT',
        1_000_000 + i,
        lastTradeUs + (i + 1) * 1_000_000,
        () => price,
        none,
      );
    expect(none).toEqual([]);
    expect(textOf(await callTool(clients.ann!, 'delete_alert', { alert_id: rule.id }))).toContain('deleted');
  });

  it('takes the last stored trade, else the end of the last stored 1m bar, or a later live bar; else the wall clock', async () => {
    const btc = { venue: 'BINANCE', symbol: 'BTCUSDT' };
    const deps = {
      market: services.market,
      alerts: { rules: services.alerts, workspaces: services.workspaces, limitOf: () => 10 },
      now: () => Date.UTC(2026, 0, 1),
    };
    const [bars1m] = services.market.describeSeries({ dataset: 'bars_1m', ...btc });
    const [trades] = services.market.describeSeries({ dataset: 'trades', ...btc });
    expect(bars1m!.maxTimeUs).toBeLessThanOrEqual(trades!.maxTimeUs); // its last bar holds the last trades
    expect(marketTimeUs(deps, btc)).toBe(trades!.maxTimeUs);
    const barsOnly = {
      ...deps,
      market: { ...services.market, describeSeries: () => [{ ...bars1m!, dataset: 'bars_1m' }] },
    };
    expect(marketTimeUs(barsOnly, btc)).toBe(bars1m!.maxTimeUs + 60_000_000);
    const liveUs = Date.UTC(2024, 8, 1) * 1000;
    expect(marketTimeUs({ ...deps, liveTimeUs: () => liveUs }, btc)).toBe(liveUs);
    const empty = { ...deps, market: { ...services.market, describeSeries: () => [] } };
    expect(marketTimeUs(empty, btc)).toBe(Date.UTC(2026, 0, 1) * 1000);
    // Every channel's path: the same function, the caller's own rule.
    const { rule, used, limit } = await createAlert(
      deps,
      { userId: 'eve', workspaceId: 'main', licence: 'pro' },
      { symbol: 'XRP/ETH', kind: 'price_level', level: 0.01 },
    );
    expect(rule).toMatchObject({ userId: 'eve', symbol: 'XRPETH', direction: 'either' });
    expect(new Date(rule.createdAtUs / 1000).toISOString()).toMatch(/^2019-10-1/);
    expect([used, limit]).toEqual([1, 10]);
  });
});
