/**
 * The chart MCP App in Debian's Chromium, with this test as the MCP Apps host: an in-process
 * charting server over the recorded store and a workspace holding two drawings (an hline and a
 * trend line); the model's `show_chart` call; a host page (ext-apps `AppBridge`) whose sandboxed
 * iframe loads the HTML read from the `ui://` resource, with the app's tool calls forwarded to
 * the MCP client. The chart paints the bars and both drawings; a period switch in the app goes
 * through the app-only `chart_data`; a drawing added to the workspace afterwards shows through the
 * app's live refresh (`chart_data` with `since`), without a reload. Screenshot:
 * docs/images/mcp-app-chart.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { build } from 'esbuild';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../test/support/browser.ts';
import { countCanvasPixels } from '../../../test/support/canvas-pixels.ts';
import { REPO_ROOT } from '../../../test/support/index.ts';
import { PAGE_SCRIPT, serveBundledPage } from '../../../test/support/serve-page.ts';
import { fixedContext } from '../../common/index.ts';
import type { McpServices } from '../../services.ts';
import { callTool, linkClient } from '../../testing/link-client.ts';
import { openTestServices } from '../../testing/services.ts';
import { linkWorkspaceClient } from '../../testing/workspace-client.ts';
import { createChartingServer } from '../index.ts';
import { THEMES } from '../render/theme.ts';
import { CHART_APP_URI } from './payload.ts';

const ctx = { userId: 'u-host', workspaceId: 'w', channel: 'test', licence: 'pro' };
const APP_DIR = import.meta.dirname;
const us = (iso: string) => Date.parse(iso) * 1000;

/** What the app page's root element says it shows. */
interface Shown {
  symbol?: string;
  period?: string;
  bars?: string;
  drawings?: string;
}

/** The app page as `npm run build` makes it: one HTML with its script and styles inlined. */
async function buildAppHtml(): Promise<string> {
  const common = { bundle: true, write: false, minify: true, logLevel: 'warning' } as const;
  const [js, css] = await Promise.all([
    build({
      ...common,
      entryPoints: [path.join(APP_DIR, 'main.ts')],
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      define: { 'process.env.NODE_ENV': '"production"' },
    }),
    build({ ...common, entryPoints: [path.join(APP_DIR, 'styles.css')] }),
  ]);
  const script = (js.outputFiles[0]?.text ?? '').replace(/<\/script/gi, '<\\/script');
  return readFileSync(path.join(APP_DIR, 'index.html'), 'utf8')
    .replace(
      /<link rel="stylesheet" href="\.\/styles\.css" \/>/,
      () => `<style>${css.outputFiles[0]?.text}</style>`,
    )
    .replace(
      /<script type="module" src="\.\/main\.ts"><\/script>/,
      () => `<script type="module">${script}</script>`,
    );
}

/** Pixels of the frame's canvases within 10 of `#rrggbb`. */
const countPixels = (frame: Frame, hex: string): Promise<number> => frame.evaluate(countCanvasPixels, hex);

describe('chart MCP App in an MCP Apps host (Chromium)', () => {
  let services: McpServices;
  let cleanup: () => void;
  let client: Client;
  let closeClient: () => Promise<void>;
  let browser: Browser;
  let host: Server;
  let page: Page;
  let app: Frame;
  let drawingIds: string[];
  const dir = mkdtempSync(path.join(tmpdir(), 'qf-mcp-app-'));
  /** Every tools/call the app made through the host. */
  const appCalls: CallToolRequest['params'][] = [];
  /** The app's loads: its calls other than the live refresh (which asks `since` its last bar). */
  const isRefresh = (c: CallToolRequest['params']) => c.arguments?.since !== undefined;
  const loads = (from = 0) => appCalls.slice(from).filter((c) => !isRefresh(c));
  const shown = (): Promise<Shown> => app.evaluate(() => ({ ...document.documentElement.dataset }));

  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    const htmlFile = path.join(dir, 'chart.html');
    writeFileSync(htmlFile, await buildAppHtml());

    // The user's workspace: XRP/ETH 5m over the recorded day, a level and a trend line.
    const ws = await linkWorkspaceClient(services, ctx);
    await callTool(ws.client, 'set_chart', {
      symbol: 'XRPETH',
      period: '5m',
      from: '2019-10-11',
      to: '2019-10-12',
    });
    const bars = await services.market.getBars({
      venue: 'BINANCE',
      symbol: 'XRPETH',
      period: '5m',
      fromUs: us('2019-10-11T00:00:00Z'),
      toUs: us('2019-10-12T00:00:00Z'),
      limit: 500,
    });
    const high = Math.max(...bars.map((b) => Number(b.high)));
    const low = Math.min(...bars.map((b) => Number(b.low)));
    for (const drawing of [
      { type: 'hline', price: Number((low + (high - low) * 0.8).toPrecision(6)), label: 'resistance' },
      {
        type: 'trendline',
        from: { time: us('2019-10-11T02:00:00Z'), price: Number((low + (high - low) * 0.15).toPrecision(6)) },
        to: { time: us('2019-10-11T20:00:00Z'), price: Number((low + (high - low) * 0.6).toPrecision(6)) },
        label: 'trend',
      },
    ]) {
      expect((await callTool(ws.client, 'add_drawing', { drawing })).isError).toBeFalsy();
    }
    await ws.close();
    drawingIds = (await services.workspaces.load(ctx)).drawings.map((d) => d.id);
    expect(drawingIds).toHaveLength(2);

    ({ client, close: closeClient } = await linkClient(
      createChartingServer({
        market: services.market,
        workspaces: services.workspaces,
        resolveContext: fixedContext(ctx),
        appHtmlFile: htmlFile,
      }).server,
    ));
    const served = await serveBundledPage(
      path.join(APP_DIR, 'testing', 'host.ts'),
      `<!doctype html><html><head><meta charset="utf-8" /></head><body style="margin:0;background:#0b0e14;padding:12px;font:13px sans-serif;color:#ccc">
<div>MCP Apps test host · show_chart</div><div id="app" style="width:1100px;margin-top:8px"></div><script src="${PAGE_SCRIPT}"></script></body></html>`,
    );
    host = served.server;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1124, height: 600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.exposeFunction('mcpCallTool', async (params: CallToolRequest['params']) => {
      appCalls.push({ name: params.name, arguments: params.arguments });
      return (await client.callTool(params)) as CallToolResult;
    });
    await page.goto(served.url);
    expect(errors).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host?.close(resolve));
    await closeClient?.();
    cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the model's show_chart as the live chart with the workspace's drawings", async () => {
    // What a host does: the tool names its UI; the host reads it and renders it beside the result.
    const { tools } = await client.listTools();
    const uri = getToolUiResourceUri(tools.find((t) => t.name === 'show_chart') ?? {});
    expect(uri).toBe(CHART_APP_URI);
    const resource = (await client.readResource({ uri: CHART_APP_URI })).contents[0];
    expect(resource?.mimeType).toBe('text/html;profile=mcp-app');
    const html = resource && 'text' in resource ? resource.text : '';
    const result = await callTool(client, 'show_chart', {});
    expect(result.isError).toBeFalsy();
    expect(result.content.map((c) => c.type)).toEqual(['text', 'image']);

    await page.evaluate(([h, r]) => window.showApp(h, {}, r), [html, result] as const);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    if (!frame) throw new Error('the host shows no app frame');
    app = frame;
    await app.waitForFunction(
      (ids) => {
        const d = document.documentElement.dataset;
        return Number(d.bars) > 0 && ids.every((id) => (d.drawings ?? '').split(' ').includes(id));
      },
      drawingIds,
      { timeout: 20_000 },
    );
    expect(await shown()).toMatchObject({
      symbol: 'BINANCE:XRPETH',
      period: '5m',
      bars: '287',
      drawings: drawingIds.join(' '),
    });
    // Bars and drawings are painted on the canvases, not only in the view's state.
    await app.waitForFunction(() => document.querySelectorAll('canvas').length > 0);
    expect(await countPixels(app, THEMES.dark.up)).toBeGreaterThan(300);
    expect(await countPixels(app, THEMES.dark.down)).toBeGreaterThan(300);
    expect(await countPixels(app, THEMES.dark.drawing)).toBeGreaterThan(100);
    // The bars came through the app-only tool, with the chart's range.
    expect(loads()).toEqual([
      {
        name: 'chart_data',
        arguments: {
          symbol: 'XRPETH',
          exchange: 'BINANCE',
          period: '5m',
          from: '2019-10-11',
          to: '2019-10-12',
          bars: 200,
        },
      },
    ]);
    mkdirSync(path.join(REPO_ROOT, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'docs', 'images', 'mcp-app-chart.png') });
  });

  it('switches the period through the app-only chart_data tool', async () => {
    const before = appCalls.length;
    await app.click('button[data-period="15m"]');
    await app.waitForFunction(() => document.documentElement.dataset.period === '15m');
    expect(await shown()).toMatchObject({ period: '15m', bars: '96', drawings: drawingIds.join(' ') });
    expect(loads(before)).toEqual([
      {
        name: 'chart_data',
        arguments: { symbol: 'XRPETH', exchange: 'BINANCE', period: '15m', to: '2019-10-12', bars: 300 },
      },
    ]);
    expect(appCalls.every((c) => c.name === 'chart_data')).toBe(true);
  });

  it('shows a drawing added to the workspace afterwards through its live refresh, without a reload', async () => {
    const before = appCalls.length;
    const was = await shown();
    const ws = await linkWorkspaceClient(services, ctx);
    try {
      const result = await callTool(ws.client, 'add_drawing', {
        drawing: { type: 'vline', time: us('2019-10-11T12:00:00Z'), label: 'noon' },
      });
      expect(result.isError).toBeFalsy();
    } finally {
      await ws.close();
    }
    const added = (await services.workspaces.load(ctx)).drawings.at(-1)?.id ?? '';
    expect(drawingIds).not.toContain(added);
    // Within a refresh interval (REFRESH_MS); the timeout only bounds a slow machine.
    await app.waitForFunction(
      (id) => (document.documentElement.dataset.drawings ?? '').split(' ').includes(id),
      added,
      { timeout: 30_000 },
    );
    expect(await shown()).toMatchObject({
      period: '15m',
      bars: was.bars,
      drawings: [...drawingIds, added].join(' '),
    });
    // Only refreshes since the drawing: the bars from the last one shown, no reload of them all.
    const calls = appCalls.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every(isRefresh)).toBe(true);
    expect(calls[0]?.arguments).toMatchObject({
      symbol: 'XRPETH',
      exchange: 'BINANCE',
      period: '15m',
      since: '2019-10-11T23:45:00Z',
      to: '2019-10-12',
    });
  });
});
