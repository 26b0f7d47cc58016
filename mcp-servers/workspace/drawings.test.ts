import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStoreReader, parseStoreConfig, type StoreReader } from '../../pipeline/store/index.ts';
import { DRAWING_KINDS, DRAWING_TYPES, type Drawing } from '../charting/catalogue.ts';
import { drawingsOfEveryKind, loadBars } from '../charting/render/testing/all-drawings.ts';
import { fixedContext, type RequestContext } from '../common/index.ts';
import { btcFiveMinuteBars, filledTempStore } from '../testing/fill-store.ts';
import { callTool, linkClient, textOf } from '../testing/link-client.ts';
import { BRIEF_MAX_CHARS, createWorkspaceServer, createWorkspaceStore, formatBrief } from './index.ts';

const T = (iso: string) => Date.parse(iso) * 1000;
let n = 0;
const fresh = (): RequestContext => ({
  userId: `u${++n}`,
  workspaceId: 'main',
  channel: 'test',
  licence: 'pro',
});

describe('drawings on the workspace (catalogue, snapping, brief)', () => {
  let store: Awaited<ReturnType<typeof filledTempStore>>;
  let reader: StoreReader;
  let dir: string;
  beforeAll(async () => {
    store = await filledTempStore();
    reader = await createStoreReader({}, parseStoreConfig({ dataDir: store.dir, duckdb: { threads: 1 } }));
  }, 120_000);
  afterAll(() => {
    reader?.close();
    store?.cleanup();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qf-ws-drawings-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  async function connect(ctx = fresh()) {
    const workspaces = createWorkspaceStore({ dataDir: dir });
    const server = createWorkspaceServer({ workspaces, resolveContext: fixedContext(ctx), market: reader });
    return linkClient(server.server);
  }
  const drawingsOf = async (client: Awaited<ReturnType<typeof connect>>['client']) =>
    (
      (await callTool(client, 'get_workspace')).structuredContent as {
        drawings: { id: string; drawing: Drawing }[];
      }
    ).drawings;

  it('lists every catalogue kind in the add_drawing description', async () => {
    const { client, close } = await connect();
    const { tools } = await client.listTools();
    const description = tools.find((t) => t.name === 'add_drawing')?.description ?? '';
    for (const [type, what] of Object.entries(DRAWING_KINDS))
      expect(description).toContain(`${type}: ${what}`);
    await close();
  });

  it("snaps an anchor to the high and open time of the chart's bar holding it; others stay as given", async () => {
    const { client, close } = await connect();
    await callTool(client, 'set_chart', {
      symbol: 'BTCUSDT',
      period: '5m',
      from: '2023-01-13',
      to: '2023-01-14',
    });
    const open = T('2023-01-13T13:30:00Z');
    const recorded = btcFiveMinuteBars().find((b) => b.openTimeUs === open);
    expect(recorded).toBeDefined();
    const r = await callTool(client, 'add_drawing', {
      drawing: {
        type: 'trendline',
        from: { time: T('2023-01-13T13:33:17Z'), price: 1, snap: 'high' },
        to: { time: T('2023-01-13T20:01:00Z'), price: 19_300 },
      },
    });
    expect(r.isError).toBeFalsy();
    const [stored] = await drawingsOf(client);
    expect(stored?.drawing).toEqual({
      type: 'trendline',
      from: { time: open, price: Number(recorded?.high), snap: 'high' },
      to: { time: T('2023-01-13T20:01:00Z'), price: 19_300 },
    });
    await close();
  });

  it('refuses to snap before set_chart, naming it, and when no bar holds the time', async () => {
    const { client, close } = await connect();
    const drawing = {
      type: 'callout',
      at: { time: T('2023-01-13T13:30:00Z'), price: 1, snap: 'low' },
      text: 'x',
    };
    const noChart = await callTool(client, 'add_drawing', { drawing });
    expect(noChart.isError).toBe(true);
    expect(textOf(noChart)).toMatch(/^snap: set_chart first/);
    // Unsnapped drawings need no chart.
    const plain = await callTool(client, 'add_drawing', {
      drawing: { ...drawing, at: { time: 1, price: 1 } },
    });
    expect(plain.isError).toBeFalsy();

    await callTool(client, 'set_chart', { symbol: 'BTCUSDT', period: '5m' });
    const far = await callTool(client, 'add_drawing', {
      drawing: { ...drawing, at: { time: T('2030-01-01T00:00:00Z'), price: 1, snap: 'low' } },
    });
    expect(textOf(far)).toContain('no BINANCE:BTCUSDT 5m bar opening at 2030-01-01T00:00:00');
    expect(await drawingsOf(client)).toHaveLength(1);
    await close();
  });

  it('round-trips every kind through add_drawing, get_workspace and remove_drawing', async () => {
    const { client, close } = await connect();
    const kinds = drawingsOfEveryKind(loadBars(150, 600));
    const ids: string[] = [];
    for (const type of DRAWING_TYPES) {
      const r = await callTool(client, 'add_drawing', { drawing: kinds[type] });
      expect(r.isError, textOf(r)).toBeFalsy();
      ids.push(/as (d\d+)/.exec(textOf(r))?.[1] ?? '');
    }
    const listed = await drawingsOf(client);
    expect(listed).toEqual(DRAWING_TYPES.map((type, i) => ({ id: ids[i], drawing: kinds[type] })));
    const brief = textOf(await callTool(client, 'get_workspace'));
    for (const id of ids) expect(brief).toContain(`${id} `);
    for (const id of ids) expect((await callTool(client, 'remove_drawing', { id })).isError).toBeFalsy();
    expect(await drawingsOf(client)).toEqual([]);
    await close();
  });

  it('describes each kind in the brief and stays within the bound with 50 drawings of mixed kinds', () => {
    const kinds = Object.values(drawingsOfEveryKind(loadBars(150, 600)));
    const ws = {
      version: 1 as const,
      userId: 'u',
      workspaceId: 'main',
      chart: { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m', bars: 200, theme: 'dark' as const },
      indicators: [],
      drawings: Array.from({ length: 50 }, (_, i) => ({
        id: `d${i + 1}`,
        drawing: kinds[i % kinds.length] as Drawing,
      })),
      nextId: 51,
      updatedAt: new Date(0).toISOString(),
    };
    const brief = formatBrief(ws);
    expect(brief.length).toBeLessThanOrEqual(BRIEF_MAX_CHARS);
    expect(brief).toMatch(/…\d+ more\.$/);
    // The first twelve, one of each kind, are described by what they show.
    const few = formatBrief({ ...ws, drawings: ws.drawings.slice(0, 12) });
    expect(few).toContain('d1 hline ');
    expect(few).toMatch(/d7 fib 2023-\d\d-\d\dT\d\d:\d\d@\d/);
    expect(few).toMatch(/d8 long .* sl \d.* tp \d.* R:R \d\.\d\d/);
    expect(few).toMatch(/d9 range .* -?\+?\d+\.\d\d%/);
    expect(few).toContain('d11 callout "swing high"');
    expect(few).not.toMatch(/d\d+ (ray|channel|position|range|callout);/); // no bare kind names
  });
});
