import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext, isoOfUs } from '../common/index.ts';
import { createIndicatorsServer } from '../indicators/index.ts';
import type { McpServices } from '../services.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { openTestServices } from '../testing/services.ts';
import { createMarketDataServer } from './index.ts';

const ctx = { userId: 'u1', workspaceId: 'w', channel: 'test', licence: 'pro' };
const csvRows = (text: string, header: string) => {
  const start = text.indexOf(header);
  return text
    .slice(start)
    .split('\n\n')[0]!
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
};

describe('market-data server', () => {
  let services: McpServices;
  let client: Client;
  let indicators: Client;
  const closers: (() => Promise<void>)[] = [];
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    const deps = { market: services.market, series: services.series, resolveContext: fixedContext(ctx) };
    const a = await linkClient(
      createMarketDataServer({ ...deps, now: () => Date.parse('2024-08-09T00:10:00Z') }).server,
    );
    const b = await linkClient(createIndicatorsServer(deps).server);
    client = a.client;
    indicators = b.client;
    closers.push(a.close, b.close);
  }, 60_000);
  afterAll(async () => {
    for (const c of closers) await c();
    cleanup();
  });

  it('searches symbols, ranked', async () => {
    const btc = textOf(await callTool(client, 'search_symbols', { query: 'btc' }));
    expect(csvRows(btc, 'exchange,symbol')[0]!.slice(0, 4)).toEqual([
      'BINANCE',
      'BTCUSDT',
      'BTC/USDT',
      'spot',
    ]);
    const eth = csvRows(
      textOf(await callTool(client, 'search_symbols', { query: 'ETH' })),
      'exchange,symbol',
    );
    expect(eth.map((r) => r[1])).toEqual(['XRPETH']);
    expect(textOf(await callTool(client, 'search_symbols', { market_type: 'perpetual' }))).toMatch(
      /^No symbol matches/,
    );
  });

  it('gives symbol info with the registry fields and what is stored', async () => {
    const r = await callTool(client, 'get_symbol_info', { symbol: 'XRP/ETH' });
    expect(r.structuredContent).toMatchObject({
      exchange: 'BINANCE',
      symbol: 'XRPETH',
      marketId: 'XRP/ETH',
      marketType: 'spot',
      baseAsset: 'XRP',
      quoteAsset: 'ETH',
      earliestTime: '2019-10-11T00:00:11Z',
    });
    const stored = (r.structuredContent as { stored: { dataset: string; rows: number }[] }).stored;
    expect(stored).toContainEqual(expect.objectContaining({ dataset: 'trades', rows: 5929 }));
  });

  it('returns bars equal to the store, bounded, with a series reference that pages through all of them', async () => {
    const direct = await services.market.getBars({
      venue: 'BINANCE',
      symbol: 'XRPETH',
      period: '1m',
      limit: 500,
    });
    const r = await callTool(client, 'get_bars', { symbol: 'XRPETH', period: '1m', bars: 500, rows: 20 });
    const text = textOf(r);
    expect(text).toMatch(
      new RegExp(
        `^BINANCE:XRPETH 1m: 500 bars ${isoOfUs(direct[0]!.openTimeUs)}\\.\\.${isoOfUs(direct[499]!.openTimeUs)}\\. Last close ${direct[499]!.close}`,
      ),
    );
    const rows = csvRows(text, 'time,open');
    expect(rows).toHaveLength(20);
    expect(rows[19]).toEqual([
      isoOfUs(direct[499]!.openTimeUs),
      direct[499]!.open,
      direct[499]!.high,
      direct[499]!.low,
      direct[499]!.close,
      direct[499]!.volume,
      String(direct[499]!.tradeCount),
    ]);
    const uri = /series:\/\/[A-Za-z0-9_-]+/.exec(text)![0];

    const all: string[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const p = textOf(
        await callTool(client, 'get_series', { uri, limit: 200, ...(cursor ? { cursor } : {}) }),
      );
      all.push(...csvRows(p, 'time,open'));
      cursor = /cursor "(\d+)"/.exec(p)?.[1];
      if (cursor === undefined) break;
    }
    expect(all).toHaveLength(500);
    expect(all.map((x) => x[4])).toEqual(direct.map((b) => b.close));

    // The reference feeds compute_indicator on the other server (same registry, same user).
    const sma = textOf(
      await callTool(indicators, 'compute_indicator', {
        indicator: 'sma',
        params: { period: 10 },
        series: uri,
        rows: 1,
      }),
    );
    const mean = direct.slice(-10).reduce((s, b) => s + Number(b.close), 0) / 10;
    const last = Number(csvRows(sma, 'time,close,sma')[0]![2]);
    expect(Math.abs(last / mean - 1)).toBeLessThan(1e-9);
  });

  it('returns trades by seq range equal to the store', async () => {
    const direct = await services.market.getTrades({
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      fromSeq: 101,
      toSeq: 200,
    });
    const text = textOf(
      await callTool(client, 'get_trades', { symbol: 'BTCUSDT', from_seq: 101, to_seq: 200, rows: 100 }),
    );
    expect(text).toMatch(/^BINANCE:BTCUSDT trades: 100 trades, seq 101\.\.200/);
    const rows = csvRows(text, 'seq,time');
    expect(rows.map((r) => r[2])).toEqual(direct.map((t) => t.price));
    const both = await callTool(client, 'get_trades', { symbol: 'BTCUSDT', from_seq: 1, from: '2024-08-08' });
    expect(textOf(both)).toMatch(/^from_seq: give a time range/);
  });

  it('reports coverage with the XRPETH holes', async () => {
    const text = textOf(
      await callTool(client, 'get_coverage', {
        symbol: 'XRPETH',
        from: '2019-10-11',
        to: '2019-10-11T23:55:00Z',
      }),
    );
    expect(text).toContain(
      '1m bars 2019-10-11T00:00:00Z..2019-10-11T23:55:00Z: 1022 of 1435 present, 413 missing',
    );
    expect(text).toMatch(/Trades: 5929 rows, seq 1\.\.5929 \(0 seq holes\)/);
  });

  it('quotes several symbols with change and age, and refuses an impossible conversion naming the field', async () => {
    const text = textOf(await callTool(client, 'get_quote', { symbols: ['BTCUSDT', 'xrp/eth'] }));
    const latest = await services.market.latestBar({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m' });
    const rows = csvRows(text, 'symbol,price');
    expect(rows[0]!.slice(0, 3)).toEqual(['BINANCE:BTCUSDT', String(Number(latest!.close)), 'USDT']);
    expect(rows[1]![0]).toBe('BINANCE:XRPETH');
    const bad = await callTool(client, 'get_quote', { symbols: ['XRPETH'], quote_currency: 'USDT' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^quote_currency: no stored ETH\/USDT pair/);
    const unknown = await callTool(client, 'get_quote', { symbols: ['BTCUSDT', 'DOGEUSDT'] });
    expect(textOf(unknown)).toMatch(/^symbols\[1\]: unknown symbol on BINANCE "DOGEUSDT"/);
  });

  it("serves the symbols resource and lists the caller's series", async () => {
    const res = await client.readResource({ uri: 'quantforge://symbols' });
    expect((res.contents[0] as { text: string }).text).toContain('BINANCE,BTCUSDT,BTC/USDT,spot');
    const listed = await client.listResources();
    expect(listed.resources.some((r) => r.uri.startsWith('series://'))).toBe(true);
  });
});
