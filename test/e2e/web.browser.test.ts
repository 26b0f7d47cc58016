/**
 * The web page end to end, in Debian's Chromium: one real platform in this process
 * (`startPlatform`: the recorded BTCUSDT session replayed through the pipeline into a temp store,
 * the ZeroMQ feed, the gateway on a free port, the agents against the scripted Messages API).
 *
 * 1. The printed login link opens the page: candles from the store are painted, and the chart
 *    moves while the replay runs.
 * 2. A chat message: the coordinator delegates to the chartist, which adds a level and a trend
 *    line through MCP; the chat streams the answer and shows the tool, the chart shows both
 *    drawings (pushed over the WebSocket).
 * 3. A rectangle drawn with the mouse is saved to the workspace.
 * 4. Another client adds a drawing through MCP over HTTP; the open chart shows it within a second.
 *
 * Screenshots: docs/images/web-chart-chat.png (after 2), docs/images/web-drawings.png (after 4).
 * The page is built from the tree first (dist/web), so the test never runs a stale bundle.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MessagesServer, startMessagesServer } from '../../agents/testing/messages-server.ts';
import { configSchema, secretsSchema } from '../../app/config/index.ts';
import { type Platform, startPlatform } from '../../app/platform.ts';
import { createLogger } from '../../core/logger.ts';
import type { PageHandle } from '../../gateway/web/main.ts';
import { THEMES } from '../../mcp-servers/charting/render/theme.ts';
import type { ChartViewState } from '../../mcp-servers/charting/view/types.ts';
import { buildPage } from '../../scripts/build-web.mjs';
import { launchChromium } from '../support/browser.ts';
import { REPO_ROOT, recordedData, until } from '../support/index.ts';

declare const window: { quantforge: PageHandle };

/** Replay pace: the recorded 11 minutes in about 33 s, a 1m bar closing every 3 s. */
const REPLAY_SPEED = 20;
const VIEWPORT = { width: 1280, height: 760 };
const IMAGES = path.join(REPO_ROOT, 'docs', 'images');
const logger = createLogger({ name: 'web-e2e', level: 'silent' });

/** A `/api/candles` row: [time s, open, high, low, close, volume]. */
type CandleRow = [number, number, number, number, number, number];
interface WorkspaceAnswer {
  readonly drawings: readonly { id: string; drawing: { type: string } }[];
}

let messages: MessagesServer;
let platform: Platform;
let browser: Browser;
let page: Page;
let dataDir: string;
const pageErrors: string[] = [];

function gatewayOf(p: Platform): NonNullable<Platform['gateway']> {
  if (p.gateway === undefined) throw new Error('the platform started without its gateway');
  return p.gateway;
}

async function ownerGet<T>(route: string): Promise<T> {
  const gateway = gatewayOf(platform);
  const res = await fetch(`${gateway.url}${route}`, {
    headers: { authorization: `Bearer ${gateway.mcpToken}` },
  });
  if (!res.ok) throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const viewState = (): Promise<ChartViewState> => page.evaluate(() => window.quantforge.view.state());

/** Pixels of the chart's canvases painted exactly in one of `colors` (#rrggbb). */
function paintedPixels(colors: readonly string[]): Promise<number> {
  return page.evaluate((hexes) => {
    const wanted = hexes.map((h) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)));
    let count = 0;
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('#chart canvas')) {
      const context = canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
      if (context === null) continue;
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4)
        if (wanted.some(([r, g, b]) => data[i] === r && data[i + 1] === g && data[i + 2] === b)) count++;
    }
    return count;
  }, colors);
}

beforeAll(async () => {
  await buildPage(path.join(REPO_ROOT, 'gateway', 'web', 'index.html'), path.join(REPO_ROOT, 'dist', 'web'));
  messages = await startMessagesServer();
  dataDir = mkdtempSync(path.join(tmpdir(), 'qf-web-e2e-'));
  const config = configSchema.parse({
    store: { dataDir },
    venues: { source: 'replay', replay: { sharedDataDir: recordedData(), speed: REPLAY_SPEED } },
    // ZeroMQ picks a free port; the gateway relays from the endpoint it got.
    realtime: { zmq: { pubEndpoint: 'tcp://127.0.0.1:*' } },
    gateway: { port: 0 },
    mcp: { http: { enabled: false } },
    agents: { anthropic: { baseUrl: messages.url } },
  });
  const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
  platform = await startPlatform({ logger }, config, secrets);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: VIEWPORT });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (res) => {
    if (res.status() >= 400) pageErrors.push(`${res.status()} ${res.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  await messages?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the web page on a running platform, in Chromium', () => {
  it('opens with the login link, paints the stored candles and moves with the replay', async () => {
    // A few 1m bars closed and stored before the page opens (the replay goes on for ~20 s more).
    await until(
      async () =>
        (await ownerGet<{ bars: CandleRow[] }>('/api/candles?symbol=BTCUSDT&interval=1m')).bars.length >= 5,
      'five 1m bars of the replay',
    );
    await page.goto(gatewayOf(platform).loginUrl);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.waitForFunction(() => (window.quantforge?.view.state().bars ?? 0) >= 5);
    // The candles are on the canvas in the dark theme's colours: painted, not blank.
    await until(
      async () => (await paintedPixels([THEMES.dark.up, THEMES.dark.down])) > 50,
      'candles painted on the canvas',
    );
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => page.textContent('#status-connection')).toBe('● live');

    // The replay keeps trading: the last candle changes or a new one appears.
    const before = await viewState();
    await page.waitForFunction(
      (was) => {
        const now = window.quantforge.view.state();
        return now.bars > was.bars || JSON.stringify(now.last) !== JSON.stringify(was.last);
      },
      before,
      { timeout: 20_000 },
    );
    // The status line's quote time is the replay's, not the epoch.
    expect(await page.textContent('#status-asof')).not.toContain('1970');
  }, 60_000); // the platform's start and five replayed minutes on a slow machine

  it('a chat message makes the chartist draw a level and a trend line on the open chart', async () => {
    const { bars } = await ownerGet<{ bars: CandleRow[] }>('/api/candles?symbol=BTCUSDT&interval=1m');
    const first = bars[0] as CandleRow;
    const last = bars.at(-1) as CandleRow;
    const level = Math.round(Math.max(...bars.map((b) => b[2])));
    messages.enqueue(
      // coordinator
      {
        content: [
          {
            type: 'tool_use',
            name: 'delegate_to_chartist',
            input: { task: `Add a level at ${level} and a trend line along the lows.` },
          },
        ],
      },
      // chartist
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__workspace__add_drawing',
            input: { drawing: { type: 'hline', price: level, label: 'resistance' } },
          },
        ],
      },
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__workspace__add_drawing',
            input: {
              drawing: {
                type: 'trendline',
                from: { time: first[0] * 1e6, price: first[3] },
                to: { time: last[0] * 1e6, price: last[3] },
              },
            },
          },
        ],
      },
      { content: [{ type: 'text', text: `Added a level at ${level} and a trend line.` }] },
      // coordinator, streamed in pieces
      {
        content: [
          { type: 'text', text: ['Done: ', `a level at ${level} `, 'and a trend line are on your chart.'] },
        ],
      },
    );
    const drawingsBefore = (await viewState()).drawings.length;
    await page.fill('#chat-input', 'Draw the resistance level and a trend line on my chart.');
    await page.press('#chat-input', 'Enter');

    await page.waitForFunction(
      (text) => document.querySelector('#chat-log')?.textContent?.includes(text) ?? false,
      `Done: a level at ${level} and a trend line are on your chart.`,
    );
    const log = (await page.textContent('#chat-log')) ?? '';
    expect(log).toContain('Draw the resistance level');
    expect(log).toContain('delegate_to_chartist — done');

    const ws = await ownerGet<WorkspaceAnswer>('/api/workspace');
    const added = ws.drawings.filter((d) => d.drawing.type === 'hline' || d.drawing.type === 'trendline');
    expect(added.map((d) => d.drawing.type).sort()).toEqual(['hline', 'trendline']);
    // Pushed over the WebSocket: the chart shows both without a reload.
    await page.waitForFunction(
      (ids) => ids.every((id) => window.quantforge.view.state().drawings.includes(id)),
      added.map((d) => d.id),
    );
    expect((await viewState()).drawings.length).toBe(drawingsBefore + 2);
    await page.mouse.move(0, 0); // no crosshair in the picture
    mkdirSync(IMAGES, { recursive: true });
    await page.screenshot({ path: path.join(IMAGES, 'web-chart-chat.png') });
  });

  it('saves a rectangle drawn with the mouse to the workspace', async () => {
    await page.click('#tools button[data-tool="rect"]');
    const box = await page.locator('#chart').boundingBox();
    if (box === null) throw new Error('the chart has no box');
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.3);
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.5);

    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const url = `${gatewayOf(platform).url}/api/workspace`;
    let rect: WorkspaceAnswer['drawings'][number] | undefined;
    await until(async () => {
      const res = await fetch(url, { headers: { cookie } });
      rect = ((await res.json()) as WorkspaceAnswer).drawings.find((d) => d.drawing.type === 'rect');
      return rect !== undefined;
    }, 'a rect in the workspace');
    await page.waitForFunction((id) => window.quantforge.view.state().drawings.includes(id), rect?.id ?? '');
  });

  it('shows a drawing another client adds through MCP within one second', async () => {
    const gateway = gatewayOf(platform);
    const client = new Client({ name: 'web-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp/workspace`), {
        requestInit: { headers: { Authorization: `Bearer ${gateway.mcpToken}` } },
      }),
    );
    try {
      const shown = new Set((await viewState()).drawings);
      const { bars } = await ownerGet<{ bars: CandleRow[] }>('/api/candles?symbol=BTCUSDT&interval=1m');
      const middle = bars[Math.floor(bars.length / 2)] as CandleRow;
      const result = await client.callTool({
        name: 'add_drawing',
        arguments: { drawing: { type: 'vline', time: middle[0] * 1e6, label: 'from MCP' } },
      });
      const returned = performance.now();
      expect(result.isError).toBeFalsy();
      const after = (result.structuredContent as WorkspaceAnswer | undefined)?.drawings ?? [];
      const id = after.find((d) => !shown.has(d.id))?.id;
      expect(id).toBeDefined();
      // Polled every animation frame: the time is when the page had it, not when a poll came round.
      await page.waitForFunction((want) => window.quantforge.view.state().drawings.includes(want), id ?? '', {
        polling: 'raf',
        timeout: 5_000,
      });
      const elapsedMs = performance.now() - returned;
      console.info(`a drawing added through MCP was on the open chart ${elapsedMs.toFixed(0)} ms later`);
      expect(elapsedMs).toBeLessThan(1000);
    } finally {
      await client.close();
    }
    await page.mouse.move(0, 0); // no crosshair in the picture
    await page.screenshot({ path: path.join(IMAGES, 'web-drawings.png') });
    expect(pageErrors).toEqual([]);
  });
});
