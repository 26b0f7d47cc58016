import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SPOT_EXCHANGE_INFO,
  SPOT_TRADES_CSV,
  SPOT_WS_FILES,
  XRPETH_AGG_CSV,
} from '../replay/testing/index.ts';
import { createVenueSimulator, type VenueSimulator } from './index.ts';
import { connectClient } from './test-client.ts';

/** The recorded lines of one stream, read independently of the replay readers. */
function recordedFrames(file: string, stream: string): string[] {
  const prefix = `{"stream":"${stream}",`;
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .split('\n')
    .map((line) => line.slice(line.indexOf(' ') + 1))
    .filter((json) => json.startsWith(prefix));
}

const TRADES = recordedFrames(SPOT_WS_FILES[0]!, 'btcusdt@trade');
const BOOK = recordedFrames(SPOT_WS_FILES[0]!, 'btcusdt@bookTicker');

let sim: VenueSimulator;
beforeAll(async () => {
  sim = createVenueSimulator(
    {},
    {
      wsRecordings: SPOT_WS_FILES,
      exchangeInfo: SPOT_EXCHANGE_INFO,
      csv: [{ symbol: 'XRPETH', kind: 'aggTrades', path: XRPETH_AGG_CSV }],
      speed: 'max',
      resume: 'restart',
    },
  );
  await sim.start();
});
afterAll(async () => {
  await sim.stop();
});

async function getJson(path: string): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(`${sim.restUrl}${path}`);
  return { status: res.status, headers: res.headers, body: await res.json() };
}

describe('venue simulator websocket', () => {
  it('sends the recorded trade frames of a combined-stream URL byte for byte', async () => {
    const client = await connectClient(`${sim.wsUrl}/stream?streams=btcusdt@trade`);
    const frames = await client.waitFor(200);
    client.close();
    expect(frames).toEqual(TRADES.slice(0, 200));
  });

  it('answers SUBSCRIBE and LIST_SUBSCRIPTIONS and then sends raw payloads on /ws', async () => {
    const client = await connectClient(`${sim.wsUrl}/ws`);
    client.socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker'], id: 1 }));
    const [reply, ...book] = await client.waitFor(51);
    expect(JSON.parse(reply!)).toEqual({ result: null, id: 1 });
    const expected = BOOK.slice(0, 50).map((f) =>
      f.slice('{"stream":"btcusdt@bookTicker","data":'.length, -1),
    );
    expect(book).toEqual(expected);
    client.socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
    client.socket.send('{"method":"FLY","id":3}');
    await expect
      .poll(() => client.frames.filter((f) => f.includes('"id":2') || f.includes('"id":3')).length, {
        timeout: 10_000,
      })
      .toBe(2);
    expect(client.frames).toContain('{"result":["btcusdt@bookTicker"],"id":2}');
    const bad = JSON.parse(client.frames.find((f) => f.includes('"id":3'))!);
    expect(bad.error.code).toBe(2);
    client.close();
  });

  it('refuses unknown websocket paths', async () => {
    await expect(connectClient(`${sim.wsUrl}/nope`)).rejects.toThrow(/404/);
  });
});

describe('venue simulator REST', () => {
  it('serves 1m klines equal to bars computed by DuckDB from the trades CSV', async () => {
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await duck.runAndReadAll(`
      SELECT (time // 60000) * 60000 AS t, arg_min(price, id)::VARCHAR AS o, max(price)::VARCHAR AS h,
        min(price)::VARCHAR AS l, arg_max(price, id)::VARCHAR AS c, sum(qty)::VARCHAR AS v,
        round(sum(price::DECIMAL(38, 8) * qty::DECIMAL(38, 8)), 8)::VARCHAR AS qv, count(*)::INTEGER AS n,
        sum(CASE WHEN is_buyer_maker THEN 0 ELSE qty END)::VARCHAR AS tb
      FROM read_csv('${SPOT_TRADES_CSV}', header = false, columns = {'id': 'BIGINT', 'price': 'DECIMAL(18,8)',
        'qty': 'DECIMAL(18,8)', 'quote_qty': 'VARCHAR', 'time': 'BIGINT', 'is_buyer_maker': 'BOOLEAN',
        'is_best_match': 'BOOLEAN'})
      GROUP BY 1 ORDER BY 1`);
    const expected = reader
      .getRowObjectsJson()
      .map((r) => [Number(r.t), r.o, r.h, r.l, r.c, r.v, r.qv, r.n, r.tb]);
    expect(expected.length).toBe(12);

    const start = expected[0]![0] as number;
    const res = await getJson(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${start}&limit=1000`);
    expect(res.status).toBe(200);
    const got = (res.body as unknown[][]).map((k) => [k[0], k[1], k[2], k[3], k[4], k[5], k[7], k[8], k[9]]);
    expect(got).toEqual(expected);
    expect((res.body as unknown[][])[0]![6]).toBe(start + 59_999);
  });

  it('pages klines by startTime/endTime/limit and derives 5m from the same trades', async () => {
    const all = (await getJson('/api/v3/klines?symbol=BTCUSDT&interval=1m')).body as number[][];
    const page = (await getJson(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${all[2]![0]}&limit=3`))
      .body as number[][];
    expect(page).toEqual(all.slice(2, 5));
    const tail = (await getJson(`/api/v3/klines?symbol=BTCUSDT&interval=1m&endTime=${all[4]![0]}&limit=2`))
      .body as number[][];
    expect(tail).toEqual(all.slice(3, 5));
    const fiveMin = (await getJson('/api/v3/klines?symbol=BTCUSDT&interval=5m')).body as unknown[][];
    expect(fiveMin.reduce((n, k) => n + (k[8] as number), 0)).toBe(19904);
  });

  it('rejects bad requests with Binance error bodies', async () => {
    expect(await getJson('/api/v3/klines?symbol=NOPE&interval=1m')).toMatchObject({
      status: 400,
      body: { code: -1121, msg: 'Invalid symbol.' },
    });
    expect((await getJson('/api/v3/klines?symbol=BTCUSDT&interval=7m')).body).toEqual({
      code: -1120,
      msg: 'Invalid interval.',
    });
    expect(((await getJson('/api/v3/klines?interval=1m')).body as { code: number }).code).toBe(-1102);
    expect(
      ((await getJson('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=x')).body as { code: number }).code,
    ).toBe(-1100);
    expect(
      ((await getJson('/api/v3/aggTrades?symbol=BTCUSDT&startTime=5&endTime=4')).body as { code: number })
        .code,
    ).toBe(-1023);
    expect(
      (
        (await getJson('/api/v3/aggTrades?symbol=BTCUSDT&startTime=0&endTime=3600001')).body as {
          code: number;
        }
      ).code,
    ).toBe(-1127);
    // Listed by the venue but nothing recorded: valid symbol, no data.
    expect((await getJson('/api/v3/klines?symbol=ETHUSDT&interval=1m')).body).toEqual([]);
  });

  it('serves the recorded aggTrades by fromId and by time', async () => {
    const first = (await getJson('/api/v3/aggTrades?symbol=XRPETH&fromId=13519807&limit=2')).body;
    expect(first).toEqual([
      {
        a: 13519807,
        p: '0.00141342',
        q: '23.00000000',
        f: 15373518,
        l: 15373518,
        T: 1570752011620,
        m: true,
        M: true,
      },
      {
        a: 13519808,
        p: '0.00141266',
        q: '54.00000000',
        f: 15373519,
        l: 15373519,
        T: 1570752011620,
        m: true,
        M: true,
      },
    ]);
    const byTime = (await getJson('/api/v3/aggTrades?symbol=XRPETH&startTime=1570752011621&limit=1'))
      .body as Array<{
      a: number;
    }>;
    expect(byTime[0]!.a).toBe(13519809);
  });

  it('serves trades and historicalTrades from the recording', async () => {
    const hist = (await getJson('/api/v3/historicalTrades?symbol=BTCUSDT&fromId=3735683259&limit=1')).body;
    expect(hist).toEqual([
      {
        id: 3735683259,
        price: '61837.63000000',
        qty: '0.02000000',
        quoteQty: '1236.75260000',
        time: 1723161255342,
        isBuyerMaker: true,
        isBestMatch: true,
      },
    ]);
    const recent = (await getJson('/api/v3/trades?symbol=BTCUSDT&limit=2')).body as Array<{ id: number }>;
    expect(recent.map((t) => t.id)).toEqual([3735703161, 3735703162]);
  });

  it('filters exchangeInfo by symbol and symbols, and serves the recorded depth snapshot', async () => {
    const one = (await getJson('/api/v3/exchangeInfo?symbol=BTCUSDT')).body as {
      symbols: { symbol: string }[];
    };
    expect(one.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT']);
    const two = (await getJson(`/api/v3/exchangeInfo?symbols=${encodeURIComponent('["XRPETH","ADABTC"]')}`))
      .body as { symbols: { symbol: string }[]; timezone: string };
    expect(two.symbols.map((s) => s.symbol)).toEqual(['XRPETH', 'ADABTC']);
    expect(two.timezone).toBe('UTC');
    const all = (await getJson('/api/v3/exchangeInfo')).body as { symbols: unknown[] };
    expect(all.symbols).toHaveLength(1695);
    const depth = (await getJson('/api/v3/depth?symbol=BTCUSDT')).body as { lastUpdateId: number };
    expect(depth.lastUpdateId).toBe(50093239218);
  });
});

describe('venue simulator request weight', () => {
  it('counts Binance weights in X-MBX-USED-WEIGHT-1M and answers 429 with Retry-After past the limit', async () => {
    const small = createVenueSimulator(
      { now: () => Date.UTC(2024, 7, 9, 0, 0, 15) },
      { wsRecordings: [SPOT_WS_FILES[1]!], weightLimit: 5 },
    );
    await small.start();
    try {
      const get = (p: string) => fetch(`${small.restUrl}${p}`);
      const a = await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1');
      expect(a.headers.get('x-mbx-used-weight-1m')).toBe('2');
      const b = await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1');
      expect(b.headers.get('x-mbx-used-weight-1m')).toBe('4');
      const c = await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1');
      expect(c.status).toBe(429);
      expect(c.headers.get('retry-after')).toBe('45');
      expect(((await c.json()) as { code: number }).code).toBe(-1003);
      const ping = await get('/api/v3/ping');
      expect(ping.status).toBe(200);
      expect(ping.headers.get('x-mbx-used-weight-1m')).toBe('5');
      expect((await get('/api/v3/klines?symbol=BTCUSDT&interval=1m')).status).toBe(429);
    } finally {
      await small.stop();
    }
  });

  it('bans (418) a client that keeps calling after 429s, when configured', async () => {
    let t = Date.UTC(2024, 7, 9, 0, 0, 15);
    const strict = createVenueSimulator(
      { now: () => t },
      {
        wsRecordings: [SPOT_WS_FILES[1]!],
        weightLimit: 2,
        ipBan: { afterRejections: 1, durationMs: 120_000 },
      },
    );
    await strict.start();
    try {
      const get = () => fetch(`${strict.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`);
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(429);
      const banned = await get();
      expect(banned.status).toBe(418);
      expect(banned.headers.get('retry-after')).toBe('120');
      t += 60_000; // a new minute does not lift the ban
      expect((await get()).status).toBe(418);
      t += 61_000;
      expect((await get()).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});
