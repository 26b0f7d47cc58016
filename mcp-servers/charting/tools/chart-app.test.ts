/**
 * The chart MCP App's contract with a real client linked in-process: `show_chart` names the
 * `ui://` resource, `chart_data` is app-only, the resource reads as the MCP App MIME type (or
 * says to build it), and the tools answer from the caller's workspace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/server';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext } from '../../common/index.ts';
import type { McpServices } from '../../services.ts';
import { callTool, linkClient, textOf } from '../../testing/link-client.ts';
import { openTestServices } from '../../testing/services.ts';
import { linkWorkspaceClient } from '../../testing/workspace-client.ts';
import { CHART_APP_URI, chartDataSchema, showChartContentSchema } from '../app/payload.ts';
import { createChartingServer } from '../index.ts';
import { decodePng } from '../render/testing/png-decode.ts';

const ctx = { userId: 'u-app', workspaceId: 'w', channel: 'test', licence: 'pro' };
const HTML = '<!doctype html><html><body>chart app</body></html>';

describe('chart MCP App (server side)', () => {
  let services: McpServices;
  let cleanup: () => void;
  let client: Client;
  let done: () => Promise<void>;
  const dir = mkdtempSync(path.join(tmpdir(), 'qf-chart-app-'));
  const htmlFile = path.join(dir, 'chart.html');

  const connect = (appHtmlFile: string) =>
    linkClient(
      createChartingServer({
        market: services.market,
        workspaces: services.workspaces,
        resolveContext: fixedContext(ctx),
        appHtmlFile,
      }).server,
    );

  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    writeFileSync(htmlFile, HTML);
    ({ client, close: done } = await connect(htmlFile));
    const ws = await linkWorkspaceClient(services, ctx);
    await callTool(ws.client, 'set_chart', {
      symbol: 'BTCUSDT',
      period: '5m',
      from: '2023-01-20',
      to: '2023-01-21',
    });
    await callTool(ws.client, 'add_drawing', { drawing: { type: 'hline', price: 21000, label: 'level' } });
    await callTool(ws.client, 'add_indicator', { indicator: 'sma', params: { period: 20 } });
    await ws.close();
  }, 60_000);

  afterAll(async () => {
    await done();
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists show_chart with the ui:// resource and chart_data as app-only', async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('show_chart')?._meta?.ui).toEqual({ resourceUri: CHART_APP_URI });
    expect(byName.get('chart_data')?._meta?.ui).toEqual({ resourceUri: CHART_APP_URI, visibility: ['app'] });
    // render_chart stays a plain tool: hosts without Apps use it as before.
    expect(byName.get('render_chart')?._meta).toBeUndefined();
  });

  it('serves the built page with the MCP App MIME type', async () => {
    const { resources } = await client.listResources();
    expect(resources).toContainEqual(
      expect.objectContaining({ uri: CHART_APP_URI, mimeType: RESOURCE_MIME_TYPE }),
    );
    const read = await client.readResource({ uri: CHART_APP_URI });
    expect(read.contents).toEqual([
      { uri: CHART_APP_URI, mimeType: 'text/html;profile=mcp-app', text: HTML },
    ]);
  });

  it('says to run the build when the page is not built', async () => {
    const missing = await connect(path.join(dir, 'nope.html'));
    try {
      await expect(missing.client.readResource({ uri: CHART_APP_URI })).rejects.toThrow(
        /chart MCP App is not built .*nope\.html.*npm run build/,
      );
    } finally {
      await missing.close();
    }
  });

  it("show_chart answers with a summary, a PNG and the workspace's chart for the app", async () => {
    const r = await callTool(client, 'show_chart', {});
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toMatch(/^BINANCE:BTCUSDT 5m, 288 bars .*1 indicator\(s\): SMA\(20\); 1 drawing\(s\)/);
    const image = r.content.find((c) => c.type === 'image');
    expect(image?.type === 'image' && image.mimeType).toBe('image/png');
    if (image?.type !== 'image') throw new Error('no image');
    expect(decodePng(new Uint8Array(Buffer.from(image.data, 'base64'))).width).toBe(1000);
    expect(showChartContentSchema.parse(r.structuredContent).chart).toEqual({
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      period: '5m',
      from: '2023-01-20',
      to: '2023-01-21',
      bars: 200,
      theme: 'dark',
    });
  });

  it("chart_data gives bars with the workspace's drawings and indicators, and pages back in time", async () => {
    const r = await callTool(client, 'chart_data', {
      symbol: 'BTC/USDT',
      period: '5m',
      to: '2023-01-21T00:00:00Z',
      bars: 48,
    });
    expect(r.isError).toBeFalsy();
    const data = chartDataSchema.parse(r.structuredContent);
    expect(data.bars).toHaveLength(48);
    expect(data.bars.at(-1)?.time).toBe(Date.parse('2023-01-20T23:55:00Z') / 1000);
    expect(data.bars[1]!.time - data.bars[0]!.time).toBe(300);
    expect(data.older).toBe(true);
    expect(data.drawings.map((d) => d.drawing.type)).toEqual(['hline']);
    expect(data.indicators.map((i) => i.name)).toEqual(['sma']);
    const before = chartDataSchema.parse(
      (
        await callTool(client, 'chart_data', {
          symbol: 'BTCUSDT',
          period: '5m',
          to: new Date(data.bars[0]!.time * 1000).toISOString(),
          bars: 10,
        })
      ).structuredContent,
    );
    expect(before.bars.at(-1)?.time).toBe(data.bars[0]!.time - 300);
  });

  it('chart_data refreshes a shown chart: the bars from its last one on, with the current drawings', async () => {
    const data = async (args: Record<string, unknown>) => {
      const r = await callTool(client, 'chart_data', { symbol: 'BTCUSDT', period: '5m', ...args });
      expect(r.isError, textOf(r)).toBeFalsy();
      return chartDataSchema.parse(r.structuredContent);
    };
    const latest = (await data({ bars: 20 })).bars;
    const shownLast = latest.at(-3);
    if (shownLast === undefined) throw new Error('too few bars stored');
    const since = new Date(shownLast.time * 1000).toISOString();
    // The chart's last bar (it may have changed) and the two after it.
    const refresh = await data({ since, bars: 10 });
    expect(refresh.bars).toEqual(latest.slice(-3));
    expect(refresh.drawings.map((d) => d.drawing.type)).toEqual(['hline']);
    // More new bars than asked for: the first ones, the next refresh goes on from there.
    expect((await data({ since: new Date(latest[0]!.time * 1000).toISOString(), bars: 10 })).bars).toEqual(
      latest.slice(0, 10),
    );
    const both = await callTool(client, 'chart_data', {
      symbol: 'BTCUSDT',
      period: '5m',
      since,
      from: since,
    });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/since: .*not both/);
  });

  it('chart_data names what is valid when a period is not', async () => {
    const r = await callTool(client, 'chart_data', { symbol: 'BTCUSDT', period: '7m' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/period: "7m" is not a period; valid: 1m, 3m, 5m/);
  });
});
