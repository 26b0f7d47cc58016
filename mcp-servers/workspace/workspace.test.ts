import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedContext, type RequestContext } from '../common/index.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { BRIEF_MAX_CHARS, createWorkspaceServer, createWorkspaceStore } from './index.ts';

const alice: RequestContext = { userId: 'alice', workspaceId: 'main', channel: 'test', licence: 'pro' };
const bob: RequestContext = { userId: 'bob', workspaceId: 'main', channel: 'test', licence: 'pro' };

describe('workspace server', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qf-ws-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function connect(ctx: RequestContext) {
    const workspaces = createWorkspaceStore({ dataDir: dir });
    return linkClient(createWorkspaceServer({ workspaces, resolveContext: fixedContext(ctx) }).server);
  }

  it('lists its tools with descriptions, annotations and snake_case names', async () => {
    const { client, close } = await connect(alice);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'add_drawing',
      'add_indicator',
      'clear_drawings',
      'get_workspace',
      'remove_drawing',
      'remove_indicator',
      'set_chart',
    ]);
    for (const t of tools) {
      expect(t.description?.length).toBeGreaterThan(20);
      expect(t.annotations).toBeDefined();
      for (const [field, schema] of Object.entries(t.inputSchema.properties ?? {})) {
        expect((schema as { description?: string }).description, `${t.name}.${field}`).toBeTruthy();
      }
    }
    await close();
  });

  it('sets a chart, adds and removes indicators and drawings, and persists them atomically', async () => {
    const { client, close } = await connect(alice);
    expect(textOf(await callTool(client, 'get_workspace'))).toContain('Chart: none set');
    await callTool(client, 'set_chart', { symbol: 'btc/usdt', period: '5m', bars: 300 });
    const sma = await callTool(client, 'add_indicator', { indicator: 'SMA', params: { period: 20 } });
    expect(textOf(sma)).toContain('Added sma as i1');
    await callTool(client, 'add_indicator', { indicator: 'rsi' });
    await callTool(client, 'add_drawing', { drawing: { type: 'hline', price: 61000, label: 'support' } });
    const d = await callTool(client, 'add_drawing', {
      drawing: { type: 'marker', side: 'buy', time: 1_723_161_600_000_000, price: 60_900 },
    });
    expect(textOf(d)).toContain('as d4');
    await callTool(client, 'remove_indicator', { id: 'i2' });
    await callTool(client, 'remove_drawing', { id: 'd3' });
    const ws = await callTool(client, 'get_workspace');
    const s = ws.structuredContent as {
      chart: { symbol: string; period: string };
      indicators: unknown[];
      drawings: { id: string }[];
    };
    expect(s.chart).toMatchObject({ exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m', bars: 300 });
    expect(s.indicators).toEqual([{ id: 'i1', name: 'sma', params: { period: 20 } }]);
    expect(s.drawings.map((x) => x.id)).toEqual(['d4']);
    await close();

    // A new server over the same directory sees the same state (it was written to disk).
    const file = JSON.parse(readFileSync(join(dir, 'workspaces', 'alice', 'main.json'), 'utf8'));
    expect(file.indicators).toHaveLength(1);
    const again = await connect(alice);
    expect(textOf(await callTool(again.client, 'get_workspace'))).toContain('i1 sma(20)');
    await callTool(again.client, 'clear_drawings');
    expect(textOf(await callTool(again.client, 'get_workspace'))).toContain('Drawings: none');
    await again.close();
  });

  it("keeps users apart: bob never sees alice's workspace", async () => {
    const a = await connect(alice);
    await callTool(a.client, 'set_chart', { symbol: 'ETHUSDT', period: '1h' });
    await a.close();
    const b = await connect(bob);
    expect(textOf(await callTool(b.client, 'get_workspace'))).toContain('Chart: none set');
    await b.close();
  });

  it('answers bad arguments with an error naming the field and what is valid', async () => {
    const { client, close } = await connect(alice);
    const noSymbol = await callTool(client, 'set_chart', { period: '1h' });
    expect(noSymbol.isError).toBe(true);
    expect(textOf(noSymbol)).toMatch(/^symbol: .*give a symbol/);
    const period = await callTool(client, 'set_chart', { symbol: 'BTCUSDT', period: '7m' });
    expect(textOf(period)).toMatch(/^period: "7m" is not a period; valid: 1m, 3m/);
    const ind = await callTool(client, 'add_indicator', { indicator: 'smaa' });
    expect(ind.isError).toBe(true);
    expect(textOf(ind)).toContain('indicator: unknown indicator "smaa"');
    const param = await callTool(client, 'add_indicator', { indicator: 'sma', params: { period: -3 } });
    expect(textOf(param)).toMatch(/period/);
    const rm = await callTool(client, 'remove_drawing', { id: 'd9' });
    expect(textOf(rm)).toContain('id: no drawing "d9"');
    const shape = await callTool(client, 'add_drawing', { drawing: { type: 'circle' } });
    expect(shape.isError).toBe(true);
    expect(textOf(shape)).toContain('drawing');
    // The server still answers after all that.
    expect((await callTool(client, 'get_workspace')).isError).toBeFalsy();
    await close();
  });

  it('keeps the brief under 1,000 characters with 50 drawings and 10 indicators', async () => {
    const { client, close } = await connect(alice);
    await callTool(client, 'set_chart', {
      symbol: 'BTCUSDT',
      period: '1m',
      from: '2024-08-08T23:54:00Z',
      to: '2024-08-09',
    });
    for (let i = 0; i < 10; i++)
      await callTool(client, 'add_indicator', { indicator: 'ema', params: { period: 5 + i } });
    for (let i = 0; i < 50; i++) {
      await callTool(client, 'add_drawing', {
        drawing: {
          type: 'trendline',
          from: { time: 1e15, price: 1 + i },
          to: { time: 1.1e15, price: 2 + i },
          label: 'x'.repeat(60),
        },
      });
    }
    const over = await callTool(client, 'add_drawing', { drawing: { type: 'hline', price: 1 } });
    expect(textOf(over)).toMatch(/^drawing: .*50 drawings/);
    const brief = (await callTool(client, 'get_workspace')).structuredContent as { brief: string };
    expect(brief.brief.length).toBeLessThanOrEqual(BRIEF_MAX_CHARS);
    expect(brief.brief).toMatch(/more\.$/);
    await close();
  });
});
