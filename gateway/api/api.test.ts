import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btcFiveMinuteBars } from '../../mcp-servers/testing/fill-store.ts';
import type { StoreReader } from '../../pipeline/store/index.ts';
import type { ApiDeps } from './index.ts';
import { createLiveBarCache } from './live-bars.ts';
import { apiApp, apiFixture } from './testing/api-app.ts';

const XRP = { venue: 'BINANCE', symbol: 'XRPETH' };
let fixture: Awaited<ReturnType<typeof apiFixture>>;
let reader: StoreReader;
let deps: ApiDeps;

beforeAll(async () => {
  fixture = await apiFixture();
  reader = fixture.reader;
  deps = { ...fixture.deps, now: () => Date.UTC(2026, 0, 1) };
}, 120_000);
afterAll(() => fixture?.cleanup());

const as = (user: string | undefined): Record<string, string> =>
  user === undefined ? {} : { 'x-test-user': user };

async function get(app: ReturnType<typeof apiApp>, path: string, user: string | undefined = 'alice') {
  const res = await app.request(path, { headers: as(user) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('without an identity', () => {
  it('answers 401 on every route', async () => {
    const app = apiApp(deps);
    const calls: [string, string][] = [
      ['GET', '/api/symbols'],
      ['GET', '/api/candles?symbol=XRPETH&interval=1m'],
      ['GET', '/api/quotes?symbols=XRPETH'],
      ['GET', '/api/workspace'],
      ['PUT', '/api/workspace/chart'],
      ['PUT', '/api/workspace/drawings'],
      ['DELETE', '/api/workspace/drawings/d1'],
    ];
    for (const [method, path] of calls) {
      const res = await app.request(path, { method, body: method === 'PUT' ? '{}' : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('GET /api/symbols', () => {
  it('lists the registry with market types by name', async () => {
    const { status, body } = await get(apiApp(deps), '/api/symbols');
    expect(status).toBe(200);
    const symbols = body.symbols as {
      exchange: string;
      symbol: string;
      marketType: string;
      tickSize: string;
    }[];
    expect(symbols.map((s) => s.symbol).sort()).toEqual(['BTCUSDT', 'XRPETH']);
    expect(symbols.find((s) => s.symbol === 'BTCUSDT')).toMatchObject({
      exchange: 'BINANCE',
      marketType: 'spot',
      tickSize: '0.01',
    });
  });
});

describe('GET /api/candles', () => {
  it('answers the latest bars as [time s, o, h, l, c, v] rows matching the store', async () => {
    const { status, headers, body } = await get(
      apiApp(deps),
      '/api/candles?symbol=BINANCE:XRPETH&interval=1m&limit=50',
    );
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('private, max-age=1');
    const stored = await reader.getBars({ ...XRP, period: '1m', limit: 50 });
    expect(body.bars).toEqual(
      stored.map((b) => [b.openTimeUs / 1e6, +b.open, +b.high, +b.low, +b.close, +b.volume]),
    );
    expect(body).toMatchObject({ exchange: 'BINANCE', symbol: 'XRPETH', interval: '1m' });
  });

  it('answers every bar of a closed range, with a longer cache time for old data', async () => {
    const path = '/api/candles?symbol=BTC/USDT&interval=5m&from=2023-01-03&to=2023-01-03T02:00:00Z';
    const { status, headers, body } = await get(apiApp(deps), path);
    expect(status).toBe(200);
    expect(body.bars).toHaveLength(24);
    expect((body.bars as number[][])[0]![0]).toBe(Date.UTC(2023, 0, 3) / 1000);
    expect(headers.get('cache-control')).toBe('private, max-age=300');
  });

  it('refuses bad parameters naming what is valid', async () => {
    const app = apiApp(deps);
    const cases: [string, RegExp][] = [
      ['symbol=XRPETH&interval=7m', /interval.*valid: 1m, 3m, 5m/],
      ['symbol=XRPETH', /interval is required; valid: 1m/],
      ['interval=1m', /symbol is required/],
      ['symbol=XRPETH&interval=1m&from=2019-01-01&to=2019-12-31', /the limit is 5000/],
      ['symbol=XRPETH&interval=1m&limit=9000', /limit must be 1\.\.5000/],
      ['symbol=XRPETH&interval=1m&from=yesterday', /valid: epoch seconds/],
      ['symbol=XRPETH&interval=1m&from=1570800000&to=1570700000', /from must be before to/],
      ['symbol=XRPUSD&interval=1m', /unknown symbol on BINANCE "XRPUSD"; closest: XRPETH/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await get(app, `/api/candles?${query}`);
      expect(status, query).toBe(400);
      expect(body.error, query).toMatch(message);
    }
  });

  it('gives the same bars with and without the live cache, taking the recent tail from it', async () => {
    const liveBars = createLiveBarCache({ capacity: 400 });
    // The cache fed the store's own last bars, as the live stream would have carried them.
    for (const period of ['1m', '15m'] as const) {
      for (const b of await reader.getBars({ ...XRP, period, limit: period === '1m' ? 300 : 20 })) {
        liveBars.update({ ...XRP, ...b });
      }
    }
    const covered = liveBars.coveredFromUs(XRP, '1m')! / 1e6;
    const last = liveBars.latest(XRP, '1m')!.openTimeUs / 1e6;
    const withCache = apiApp({ ...deps, liveBars });
    const storeOnly = apiApp(deps);
    const queries: [string, 'all' | 'some' | 'none'][] = [
      ['interval=1m&limit=100', 'all'],
      ['interval=1m&limit=1000', 'some'],
      [`interval=1m&from=${covered - 3600}&to=${covered + 3600}`, 'some'],
      [`interval=1m&from=${covered - 600}&limit=200`, 'some'],
      [`interval=1m&from=${covered + 60}&to=${last + 60}`, 'all'],
      [`interval=1m&to=${covered}&limit=50`, 'none'],
      [`interval=1m&to=${covered + 1800}&limit=300`, 'some'],
      ['interval=15m&limit=60', 'some'],
      ['interval=5m&limit=60', 'none'],
    ];
    for (const [query, expected] of queries) {
      const path = `/api/candles?symbol=XRPETH&${query}`;
      const a = await withCache.request(path, { headers: as('alice') });
      const b = await storeOnly.request(path, { headers: as('alice') });
      expect(a.status, query).toBe(200);
      const cached = (await a.json()) as { bars: number[][] };
      expect(cached, query).toEqual(await b.json());
      expect(cached.bars.length, query).toBeGreaterThan(0);
      const fromCache = Number(a.headers.get('x-bars-from-cache'));
      if (expected === 'all') expect(fromCache, query).toBe(cached.bars.length);
      if (expected === 'some') expect(fromCache, query).toBeGreaterThan(0);
      if (expected === 'some') expect(fromCache, query).toBeLessThan(cached.bars.length);
      if (expected === 'none') expect(fromCache, query).toBe(0);
    }
  });
});

describe('GET /api/quotes', () => {
  it('answers the latest 1m close from the store, or from the live cache when it has one', async () => {
    const [btc] = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m', limit: 1 });
    const { status, body } = await get(apiApp(deps), '/api/quotes?symbols=BTCUSDT,BINANCE:XRPETH');
    expect(status).toBe(200);
    const quotes = body.quotes as { symbol: string; price: string; time: string; source: string }[];
    expect(quotes.map((q) => [q.symbol, q.source])).toEqual([
      ['BTCUSDT', 'store'],
      ['XRPETH', 'store'],
    ]);
    expect(quotes[0]).toMatchObject({
      price: btc!.close,
      time: new Date(btc!.openTimeUs / 1000).toISOString(),
    });

    const liveBars = createLiveBarCache({ capacity: 10 });
    const forming = {
      ...btc!,
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      openTimeUs: btc!.openTimeUs + 60_000_000,
      close: '61000.5',
    };
    liveBars.update(forming);
    const live = await get(apiApp({ ...deps, liveBars }), '/api/quotes?symbols=BTCUSDT');
    expect(live.body.quotes).toEqual([
      {
        exchange: 'BINANCE',
        symbol: 'BTCUSDT',
        price: '61000.5',
        time: new Date(forming.openTimeUs / 1000).toISOString(),
        source: 'live',
      },
    ]);
  });

  it('refuses an unknown or missing symbol list', async () => {
    const app = apiApp(deps);
    expect((await get(app, '/api/quotes?symbols=NOPE')).body.error).toMatch(/symbols: unknown symbol/);
    expect((await get(app, '/api/quotes')).body.error).toMatch(/symbols is required/);
    expect((await get(app, '/api/quotes?symbols=,')).status).toBe(400);
  });
});

describe('the workspace routes', () => {
  const hline = { type: 'hline', price: 0.0256, label: 'support' };

  async function send(
    app: ReturnType<typeof apiApp>,
    method: string,
    path: string,
    user: string,
    body?: unknown,
  ) {
    const res = await app.request(path, {
      method,
      headers: { ...as(user), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('adds, lists and removes drawings on the caller own workspace only', async () => {
    const app = apiApp(deps);
    const added = await send(app, 'PUT', '/api/workspace/drawings', 'ann', { drawing: hline });
    expect(added.status).toBe(201);
    expect(added.body.id).toBe('d1');
    const mine = await get(app, '/api/workspace', 'ann');
    expect(mine.body).toMatchObject({ userId: 'ann', drawings: [{ id: 'd1', drawing: hline }] });

    // Bob sees his own (empty) workspace, and cannot reach Ann's whatever he sends.
    expect((await get(app, '/api/workspace', 'bob')).body).toMatchObject({ userId: 'bob', drawings: [] });
    const sneaky = await send(app, 'PUT', '/api/workspace/drawings', 'bob', {
      userId: 'ann',
      workspaceId: 'main',
      drawing: hline,
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error).toMatch(/userId/);
    expect((await send(app, 'DELETE', '/api/workspace/drawings/d1', 'bob')).status).toBe(404);
    expect((await get(app, '/api/workspace?userId=ann', 'bob')).body).toMatchObject({
      userId: 'bob',
      drawings: [],
    });
    expect((await get(app, '/api/workspace', 'ann')).body.drawings).toHaveLength(1);

    const removed = await send(app, 'DELETE', '/api/workspace/drawings/d1', 'ann');
    expect(removed.status).toBe(200);
    expect((await get(app, '/api/workspace', 'ann')).body.drawings).toEqual([]);
  });

  it("sets the caller's workspace chart as set_chart does, keeping its range, bars and theme", async () => {
    const app = apiApp(deps);
    const key = { userId: 'erin', workspaceId: 'main' };
    await deps.workspaces.update(key, (ws) => ({
      ...ws,
      chart: { exchange: 'BINANCE', symbol: 'XRPETH', period: '1m', bars: 300, theme: 'light' },
    }));
    const set = await send(app, 'PUT', '/api/workspace/chart', 'erin', {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      period: '5m',
    });
    expect(set.status).toBe(200);
    const chart = { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m', bars: 300, theme: 'light' };
    expect(set.body.workspace).toMatchObject({ userId: 'erin', chart });
    expect((await deps.workspaces.load(key)).chart).toEqual(chart);
    // Someone else's workspace is untouched, whatever the body says.
    const sneaky = await send(app, 'PUT', '/api/workspace/chart', 'bob', {
      userId: 'erin',
      symbol: 'XRPETH',
      period: '1h',
    });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.error).toMatch(/userId/);
    expect((await deps.workspaces.load(key)).chart).toEqual(chart);
  });

  it('refuses a chart of an unknown symbol or period, naming what is valid, and changes nothing', async () => {
    const app = apiApp(deps);
    const put = (body: unknown) => send(app, 'PUT', '/api/workspace/chart', 'fred', body);
    const unknown = await put({ symbol: 'NOPEUSDT', period: '1m' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/symbol.*BTCUSDT/);
    const badPeriod = await put({ symbol: 'BTCUSDT', period: '7m' });
    expect(badPeriod.status).toBe(400);
    expect(badPeriod.body.error).toMatch(/period.*1m/);
    const noPeriod = await put({ symbol: 'BTCUSDT' });
    expect(noPeriod.status).toBe(400);
    expect(noPeriod.body.error).toMatch(/period/);
    const notJson = await app.request('/api/workspace/chart', {
      method: 'PUT',
      headers: as('fred'),
      body: 'x',
    });
    expect(notJson.status).toBe(400);
    expect((await get(app, '/api/workspace', 'fred')).body.chart).toBeNull();
  });

  it('refuses a drawing outside the catalogue, naming the valid types', async () => {
    const app = apiApp(deps);
    const bad = await send(app, 'PUT', '/api/workspace/drawings', 'carol', { drawing: { type: 'circle' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/hline/);
    const notJson = await app.request('/api/workspace/drawings', {
      method: 'PUT',
      headers: as('carol'),
      body: 'x',
    });
    expect(notJson.status).toBe(400);
    expect((await get(app, '/api/workspace', 'carol')).body.drawings).toEqual([]);
  });

  it('snaps an anchor to the bar of the workspace chart, as add_drawing does', async () => {
    const app = apiApp(deps);
    const T = (iso: string) => Date.parse(iso) * 1000;
    const drawing = {
      type: 'callout',
      at: { time: T('2023-01-13T13:33:00Z'), price: 1, snap: 'close' },
      text: 'x',
    };
    const noChart = await send(app, 'PUT', '/api/workspace/drawings', 'dora', { drawing });
    expect(noChart.status).toBe(400);
    expect(noChart.body.error).toMatch(/set_chart first/);
    await deps.workspaces.update({ userId: 'dora', workspaceId: 'main' }, (ws) => ({
      ...ws,
      chart: { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m', bars: 200, theme: 'dark' },
    }));
    const open = T('2023-01-13T13:30:00Z');
    const bar = btcFiveMinuteBars().find((b) => b.openTimeUs === open);
    const added = await send(app, 'PUT', '/api/workspace/drawings', 'dora', { drawing });
    expect(added.status).toBe(201);
    expect((await get(app, '/api/workspace', 'dora')).body.drawings).toEqual([
      { id: 'd1', drawing: { ...drawing, at: { time: open, price: Number(bar?.close), snap: 'close' } } },
    ]);
  });
});
