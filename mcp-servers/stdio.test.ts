import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filledTempStore } from './testing/fill-store.ts';
import { textOf } from './testing/link-client.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');

describe('quantforge mcp workspace over stdio (separate process)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = await filledTempStore());
  });
  afterAll(() => cleanup());

  function spawnClient(user: string) {
    return new StdioClientTransport({
      command: process.execPath,
      args: ['bin/quantforge.mjs', 'mcp', 'workspace', '--data-dir', dir, '--user', user],
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>,
      stderr: 'pipe',
    });
  }

  it('lists and calls the workspace tools, and the state survives a restart', async () => {
    const client = new Client({ name: 'stdio-contract', version: '0' });
    await client.connect(spawnClient('carol'));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('add_drawing');
    await client.callTool({ name: 'set_chart', arguments: { symbol: 'BTC/USDT', period: '1h' } });
    const unknown = (await client.callTool({
      name: 'set_chart',
      arguments: { symbol: 'BTCUSD' },
    })) as CallToolResult;
    expect(textOf(unknown)).toMatch(/^symbol: unknown symbol on BINANCE "BTCUSD"; closest: BTCUSDT/);
    await client.callTool({ name: 'add_drawing', arguments: { drawing: { type: 'hline', price: 60000 } } });
    const bad = (await client.callTool({
      name: 'set_chart',
      arguments: { period: 'weekly' },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^period: "weekly" is not a period; valid: /);
    await client.close();

    const again = new Client({ name: 'stdio-contract', version: '0' });
    await again.connect(spawnClient('carol'));
    const ws = (await again.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult;
    expect(textOf(ws)).toContain('Chart: BINANCE:BTCUSDT 1h');
    expect(textOf(ws)).toContain('d1 hline 60000');
    await again.close();
  }, 60_000);
});

describe('every server over stdio (separate process): lists and calls every tool against the filled store', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = await filledTempStore());
  });
  afterAll(() => cleanup());

  async function open(server: string, user = 'dave'): Promise<Client> {
    const client = new Client({ name: 'stdio-contract', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['bin/quantforge.mjs', 'mcp', server, '--data-dir', dir, '--user', user],
        cwd: repoRoot,
        env: { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
    return client;
  }
  const call = async (c: Client, name: string, args: Record<string, unknown> = {}) => {
    const r = (await c.callTool({ name, arguments: args })) as CallToolResult;
    expect(r.isError, `${name}: ${textOf(r)}`).toBeFalsy();
    return r;
  };

  it('market-data', async () => {
    const c = await open('market-data');
    expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual([
      'create_alert',
      'delete_alert',
      'get_bars',
      'get_coverage',
      'get_quote',
      'get_series',
      'get_symbol_info',
      'get_trades',
      'list_alerts',
      'search_symbols',
      'watch_read',
      'watch_subscribe',
      'watch_unsubscribe',
    ]);
    expect(textOf(await call(c, 'search_symbols', { query: 'xrp' }))).toContain('BINANCE,XRPETH,XRP/ETH');
    expect(textOf(await call(c, 'get_symbol_info', { symbol: 'BTCUSDT' }))).toContain('Base BTC, quote USDT');
    expect(textOf(await call(c, 'get_quote', { symbols: ['BTCUSDT', 'XRPETH'] }))).toContain(
      'BINANCE:XRPETH,',
    );
    const bars = textOf(
      await call(c, 'get_bars', {
        symbol: 'BTCUSDT',
        period: '5m',
        from: '2023-01-10',
        to: '2023-01-11',
        rows: 10,
      }),
    );
    expect(bars).toMatch(/^BINANCE:BTCUSDT 5m: 288 bars 2023-01-10T00:00:00Z\.\.2023-01-10T23:55:00Z/);
    const uri = /series:\/\/[\w-]+/.exec(bars)![0];
    expect(textOf(await call(c, 'get_series', { uri, cursor: '280' }))).toMatch(
      /rows 281\.\.288 of 288\. Last page\./,
    );
    expect(
      textOf(
        await call(c, 'get_trades', {
          symbol: 'BTCUSDT',
          from: '2024-08-09T00:00:00Z',
          to: '2024-08-09T00:00:01Z',
        }),
      ),
    ).toMatch(/^BINANCE:BTCUSDT trades: \d+ trades/);
    expect(textOf(await call(c, 'get_coverage', { symbol: 'XRPETH' }))).toContain('413 missing');
    const sub = textOf(await call(c, 'watch_subscribe', { symbol: 'BTCUSDT', stream: 'trades' }));
    const id = /as (w_[0-9a-f]+)/.exec(sub)![1]!;
    expect(textOf(await call(c, 'watch_read', { subscription: id, wait_ms: 0 }))).toMatch(/^Nothing new/);
    await call(c, 'watch_unsubscribe', { subscription: id });
    const symbols = await c.readResource({ uri: 'quantforge://symbols' });
    expect((symbols.contents[0] as { text: string }).text).toContain('BINANCE,BTCUSDT');
    await c.close();
  }, 60_000);

  it('a series:// reference made by one server process is paged and reused by another', async () => {
    const [market, ind, stranger] = await Promise.all([
      open('market-data'),
      open('indicators'),
      open('indicators', 'erin'),
    ]);
    // market-data hands out a reference to 288 bars; the indicators process pages it and computes on it.
    const bars = textOf(
      await call(market, 'get_bars', {
        symbol: 'BTCUSDT',
        period: '5m',
        from: '2023-01-10',
        to: '2023-01-11',
        rows: 5,
      }),
    );
    const barsUri = /series:\/\/[\w-]+/.exec(bars)![0];
    expect(bars).toContain(`all rows: ${barsUri} (page with get_series)`);
    const page = textOf(await call(ind, 'get_series', { uri: barsUri, cursor: '286' }));
    expect(page).toMatch(
      /^BINANCE:BTCUSDT 5m bars: rows 287\.\.288 of 288\. Last page\.\n\ntime,open,high,low,close,volume,trades\n2023-01-10T23:50:00Z,/,
    );
    const sma = textOf(
      await call(ind, 'compute_indicator', {
        indicator: 'sma',
        params: { period: 10 },
        series: barsUri,
        rows: 3,
      }),
    );
    expect(sma).toMatch(
      /^SMA\(10\) on BINANCE:BTCUSDT 5m bars, 288 bars 2023-01-10T00:00:00Z\.\.2023-01-10T23:55:00Z/,
    );
    // ...and the reference the indicators process hands out is paged by the market-data process.
    const smaUri = /series:\/\/[\w-]+/.exec(sma)![0];
    expect(smaUri).not.toBe(barsUri);
    expect(textOf(await call(market, 'get_series', { uri: smaUri, limit: 2 }))).toMatch(
      /^SMA\(10\) on BINANCE:BTCUSDT 5m bars: rows 1\.\.2 of 288\. Next page: cursor "2"\.\n\ntime,close,sma\n2023-01-10T00:00:00Z,[\d.]+,\n/,
    );
    // Another user (same data dir, own process) is told whose it is, not handed the rows.
    const refused = (await stranger.callTool({
      name: 'get_series',
      arguments: { uri: barsUri },
    })) as CallToolResult;
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^uri: series:\/\/[\w-]+ belongs to another user/);
    await Promise.all([market.close(), ind.close(), stranger.close()]);
  }, 90_000);

  it('indicators and charting', async () => {
    const ind = await open('indicators');
    expect(textOf(await call(ind, 'list_indicators'))).toContain('supertrend,');
    expect(
      textOf(
        await call(ind, 'compute_indicator', {
          indicator: 'bbands',
          symbol: 'BTCUSDT',
          period: '5m',
          bars: 100,
        }),
      ),
    ).toMatch(/^BBANDS\(20,2,2\) on BINANCE:BTCUSDT 5m/);
    await ind.close();
    const chart = await open('charting');
    const r = await call(chart, 'render_chart', {
      symbol: 'XRPETH',
      period: '1m',
      bars: 120,
      indicators: [{ indicator: 'ema' }, { indicator: 'rsi' }],
      width: 640,
      height: 400,
    });
    const image = r.content.find((x) => x.type === 'image') as { data: string } | undefined;
    const png = Buffer.from(image!.data, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 400]);
    await chart.close();
  }, 60_000);
});
