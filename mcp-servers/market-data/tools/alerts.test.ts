/** The alert tools through a linked MCP client: create (each way), list, delete, limit, errors. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext } from '../../common/index.ts';
import { createNamedServer } from '../../registry.ts';
import type { McpServices } from '../../services.ts';
import { callTool, linkClient, textOf } from '../../testing/link-client.ts';
import { openTestServices } from '../../testing/services.ts';

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
});
