import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext } from '../common/index.ts';
import type { McpServices } from '../services.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { openTestServices } from '../testing/services.ts';
import { linkWorkspaceClient } from '../testing/workspace-client.ts';
import { createChartingServer } from './index.ts';
import { decodePng } from './render/testing/png-decode.ts';

const ctx = { userId: 'u1', workspaceId: 'w', channel: 'test', licence: 'pro' };
const T = (iso: string) => Date.parse(iso) * 1000;

function pngOf(r: CallToolResult) {
  const image = r.content.find((c) => c.type === 'image') as { data: string; mimeType: string } | undefined;
  expect(image?.mimeType).toBe('image/png');
  return decodePng(new Uint8Array(Buffer.from(image!.data, 'base64')));
}

describe('charting server', () => {
  let services: McpServices;
  let client: Client;
  let done: () => Promise<void>;
  let cleanup: () => void;
  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    const linked = await linkClient(
      createChartingServer({
        market: services.market,
        workspaces: services.workspaces,
        resolveContext: fixedContext(ctx),
      }).server,
    );
    client = linked.client;
    done = linked.close;
  }, 60_000);
  afterAll(async () => {
    await done();
    cleanup();
  });

  it('renders candles, an overlay, a sub-pane and two drawings as a PNG of the asked size', async () => {
    const r = await callTool(client, 'render_chart', {
      symbol: 'BTCUSDT',
      period: '5m',
      from: '2023-01-13T00:00:00Z',
      to: '2023-01-14T00:00:00Z',
      indicators: [{ indicator: 'sma', params: { period: 20 } }, { indicator: 'rsi' }],
      drawings: [
        { type: 'hline', price: 19000, label: 'resistance' },
        { type: 'marker', side: 'buy', time: T('2023-01-13T13:30:00Z'), price: 18800 },
      ],
      width: 900,
      height: 560,
      use_workspace: false,
    });
    expect(r.isError).toBeFalsy();
    const png = pngOf(r);
    expect([png.width, png.height]).toEqual([900, 560]);
    expect(textOf(r)).toMatch(
      /^BINANCE:BTCUSDT 5m, 288 bars .* 2 indicator\(s\): SMA\(20\), RSI\(14\); 2 drawing\(s\)/,
    );
    const spec = (
      r.structuredContent as {
        spec: {
          overlays: { name: string; values: number[] }[];
          panes: { title: string; levels: number[] }[];
          bars: { time: number[] };
        };
      }
    ).spec;
    expect(spec.bars.time).toHaveLength(288);
    expect(spec.overlays.map((o) => o.name)).toEqual(['SMA(20)']);
    // Warm-up bars were loaded before the range: the first SMA value is defined.
    expect(Number.isFinite(spec.overlays[0]!.values[0])).toBe(true);
    expect(spec.panes).toMatchObject([{ title: 'RSI(14)', levels: [30, 70] }]);
  });

  it("draws the workspace's chart, indicators and drawings when no symbol is given", async () => {
    const ws = await linkWorkspaceClient(services, ctx);
    await callTool(ws.client, 'set_chart', {
      symbol: 'BTCUSDT',
      period: '5m',
      from: '2023-01-20',
      to: '2023-01-21',
      theme: 'light',
    });
    await callTool(ws.client, 'add_indicator', { indicator: 'bbands' });
    await callTool(ws.client, 'add_indicator', { indicator: 'macd' });
    await callTool(ws.client, 'add_drawing', {
      drawing: { type: 'vline', time: T('2023-01-20T12:00:00Z'), label: 'noon' },
    });
    await ws.close();
    const r = await callTool(client, 'render_chart', {});
    expect(r.isError).toBeFalsy();
    expect([pngOf(r).width, pngOf(r).height]).toEqual([1000, 600]);
    const spec = (
      r.structuredContent as {
        spec: {
          theme: string;
          overlays: { name: string }[];
          panes: { title: string }[];
          drawings: unknown[];
        };
      }
    ).spec;
    expect(spec.theme).toBe('light');
    expect(spec.overlays.map((o) => o.name)).toEqual([
      'BBANDS(20,2,2) upper',
      'BBANDS(20,2,2) middle',
      'BBANDS(20,2,2) lower',
    ]);
    expect(spec.panes.map((p) => p.title)).toEqual(['MACD(12,26,9)']);
    expect(spec.drawings).toHaveLength(1);
  });

  it('names the field for bad arguments', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ symbol: 'ETHUSDT', period: '5m' }, /^symbol: unknown symbol on BINANCE "ETHUSDT"; closest: /],
      [
        { symbol: 'BTCUSDT', period: '5m', indicators: [{ indicator: 'foo' }] },
        /^indicators\[0\]: indicator: unknown indicator "foo"/,
      ],
      [
        { symbol: 'BTCUSDT', period: '5m', from: '2030-01-01', to: '2030-01-02' },
        /^from: no 5m bars of BINANCE:BTCUSDT in that range/,
      ],
      [
        {
          symbol: 'BTCUSDT',
          period: '5m',
          use_workspace: false,
          indicators: ['rsi', 'macd', 'stoch', 'cci'].map((indicator) => ({ indicator })),
        },
        /^indicators: 4 oscillator panes do not fit; the chart has at most 3/,
      ],
      [{ symbol: 'BTCUSDT', width: 10 }, /width/],
    ];
    for (const [args, expected] of cases) {
      const r = await callTool(client, 'render_chart', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(textOf(r)).toMatch(expected);
    }
  });
});
