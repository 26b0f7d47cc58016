import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreWriter, parseStoreConfig, type StoreWriter } from '../../pipeline/store/index.ts';
import { fixedContext } from '../common/index.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { openTestServices } from '../testing/services.ts';
import { createMarketDataServer, createWatchRegistry } from './index.ts';

const alice = { userId: 'alice', workspaceId: 'w', channel: 'test', licence: 'pro' };
const bob = { userId: 'bob', workspaceId: 'w', channel: 'test', licence: 'pro' };

describe('watch_subscribe / watch_read / watch_unsubscribe', () => {
  let a: Client;
  let b: Client;
  let writer: StoreWriter;
  const closers: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    const t = await openTestServices();
    writer = await createStoreWriter(
      {},
      parseStoreConfig({ dataDir: t.services.dataDir, flush: { intervalMs: 0 }, duckdb: { threads: 1 } }),
    );
    const watches = createWatchRegistry({ market: t.services.market, pollMs: 50 });
    const deps = { market: t.services.market, series: t.services.series, watches };
    const la = await linkClient(
      createMarketDataServer({ ...deps, resolveContext: fixedContext(alice) }).server,
    );
    const lb = await linkClient(
      createMarketDataServer({ ...deps, resolveContext: fixedContext(bob) }).server,
    );
    a = la.client;
    b = lb.client;
    closers.push(la.close, lb.close, () => writer.close(), t.cleanup);
  }, 60_000);
  afterAll(async () => {
    for (const c of closers) await c();
  });

  const idOf = (text: string) => /as (w_[0-9a-f]+)/.exec(text)![1]!;
  const cursorOf = (text: string) =>
    /"cursor": "([^"]+)"|Next cursor: "([^"]+)"/.exec(text)!.slice(1).find(Boolean)!;

  it('long-polls new trades committed by a writer after the subscription', async () => {
    const sub = textOf(await callTool(a, 'watch_subscribe', { symbol: 'XRPETH', stream: 'trades' }));
    const id = idOf(sub);
    let cursor = cursorOf(sub);
    const empty = textOf(await callTool(a, 'watch_read', { subscription: id, cursor, wait_ms: 100 }));
    expect(empty).toMatch(/^Nothing new after \d+ ms/);

    const pending = callTool(a, 'watch_read', { subscription: id, cursor, wait_ms: 20_000 });
    const base = Date.parse('2019-10-11T23:59:00Z') * 1000;
    await writer.appendTrades(
      [5930, 5931, 5932].map((seq, i) => ({
        venue: 'BINANCE',
        symbol: 'XRPETH',
        seq,
        timeUs: base + i * 1000,
        tradeId: String(20_000_000 + i),
        price: '0.0014',
        quantity: String(10 + i),
        aggressor: 1,
      })),
    );
    await writer.flush();
    const got = textOf(await pending);
    expect(got).toMatch(/^3 new trade\(s\), last 0\.0014/);
    expect(got).toContain('5932,2019-10-11T23:59:00.002Z,0.0014,12,buy');
    cursor = cursorOf(got);
    expect(textOf(await callTool(a, 'watch_read', { subscription: id, cursor, wait_ms: 0 }))).toMatch(
      /^Nothing new/,
    );

    // Bob cannot read or end alice's subscription.
    const stolen = await callTool(b, 'watch_read', { subscription: id, wait_ms: 0 });
    expect(stolen.isError).toBe(true);
    expect(textOf(stolen)).toMatch(/^subscription: no subscription/);
    expect((await callTool(a, 'watch_unsubscribe', { subscription: id })).isError).toBeFalsy();
    expect(textOf(await callTool(a, 'watch_read', { subscription: id }))).toMatch(
      /^subscription: no subscription/,
    );
  });

  it('streams new bars and changes of the forming bar', async () => {
    const sub = textOf(
      await callTool(a, 'watch_subscribe', { symbol: 'BTCUSDT', stream: 'bars', period: '1m' }),
    );
    const id = idOf(sub);
    const cursor = cursorOf(sub);
    await writer.appendBars([
      {
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        period: '1m',
        openTimeUs: Date.parse('2024-08-09T00:06:00Z') * 1000,
        open: '61600',
        high: '61650',
        low: '61590',
        close: '61640',
        volume: '3.5',
      },
    ]);
    await writer.flush();
    const got = textOf(await callTool(a, 'watch_read', { subscription: id, cursor, wait_ms: 5000 }));
    expect(got).toMatch(/^1 bar update\(s\), last close 61640/);
    expect(got).toContain('2024-08-09T00:06:00Z,61600,61650,61590,61640,3.5');
    const bad = await callTool(a, 'watch_read', { subscription: id, cursor: 'garbage' });
    expect(textOf(bad)).toMatch(/^cursor: "garbage" is not a cursor/);
  });
});
