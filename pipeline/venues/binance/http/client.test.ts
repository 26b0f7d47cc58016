import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordedData } from '../../../../test/support/index.ts';
import {
  BinanceClientError,
  BinanceDecodeError,
  BinanceNetworkError,
  BinanceRateLimitError,
  BinanceServerError,
} from '../errors.ts';
import { type BinanceHttpClientOptions, createBinanceHttpClient } from './client.ts';
import { createBinanceMarketApi } from './market.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server;
let baseUrl = '';
let handler: Handler = (_req, res) => res.end('{}');
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  requests.length = 0;
});

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function client(overrides: Partial<BinanceHttpClientOptions> = {}, now?: () => number) {
  const sleeps: number[] = [];
  const http = createBinanceHttpClient(
    { sleep: async (ms) => void sleeps.push(ms), ...(now ? { now } : {}) },
    {
      baseUrl,
      timeoutMs: 2000,
      maxRetries: 3,
      maxWaitMs: 5000,
      weightLimitPerMinute: 6000,
      retryBaseDelayMs: 1,
      ...overrides,
    },
  );
  return { http, sleeps, api: createBinanceMarketApi(http, 'spot') };
}

const restFile = (name: string): unknown => JSON.parse(readFileSync(recordedData('rest', name), 'utf8'));

describe('REST transport', () => {
  it('reads exchangeInfo and tracks X-MBX-USED-WEIGHT-1M', async () => {
    handler = (_req, res) =>
      json(res, 200, restFile('binance-spot-exchange-info-20211022.json'), { 'X-MBX-USED-WEIGHT-1M': '21' });
    const { http, api } = client();
    const info = await api.exchangeInfo();
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(requests).toEqual(['/api/v3/exchangeInfo']);
    expect(http.usedWeight()).toBe(21);
  });

  it('waits for the next minute instead of crossing the weight limit', async () => {
    handler = (_req, res) => json(res, 200, [], { 'X-MBX-USED-WEIGHT-1M': '5990' });
    const t = 60_000 * 28_333_333 + 10_000; // 10 s into a minute
    const { http, sleeps } = client({ maxWaitMs: 120_000 }, () => t);
    await http.get('/api/v3/trades', { symbol: 'BTCUSDT' }, { weight: 5 });
    expect(sleeps).toEqual([]);
    await http.get('/api/v3/trades', { symbol: 'BTCUSDT' }, { weight: 25 });
    expect(sleeps).toEqual([50_050]);
  });

  it('429: honours Retry-After, then retries', async () => {
    let n = 0;
    handler = (_req, res) =>
      n++ === 0
        ? json(res, 429, { code: -1003, msg: 'Too many requests' }, { 'Retry-After': '0.05' })
        : json(res, 200, []);
    const { http, sleeps } = client();
    await expect(http.get('/api/v3/trades', { symbol: 'BTCUSDT', limit: 5 })).resolves.toEqual([]);
    expect(sleeps).toEqual([50]);
    expect(requests).toEqual([
      '/api/v3/trades?symbol=BTCUSDT&limit=5',
      '/api/v3/trades?symbol=BTCUSDT&limit=5',
    ]);
  });

  it('418: banned until Retry-After; a ban longer than maxWaitMs fails without calling again', async () => {
    handler = (_req, res) =>
      json(res, 418, { code: -1003, msg: 'Way too many requests; IP banned' }, { 'Retry-After': '3600' });
    const { http } = client({ maxWaitMs: 1000 });
    const err = await http.get('/api/v3/trades').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceRateLimitError);
    expect((err as BinanceRateLimitError).status).toBe(418);
    expect((err as BinanceRateLimitError).retriable).toBe(true);
    expect((err as BinanceRateLimitError).bannedUntilMs).toBeGreaterThan(Date.now() + 3_000_000);
    expect(http.bannedUntil()).toBe((err as BinanceRateLimitError).bannedUntilMs);
    await expect(http.get('/api/v3/trades')).rejects.toBeInstanceOf(BinanceRateLimitError);
    expect(requests).toHaveLength(1);
  });

  it('418 with a short ban: waits it out and retries', async () => {
    let n = 0;
    handler = (_req, res) => (n++ === 0 ? json(res, 418, '', { 'Retry-After': '0' }) : json(res, 200, [1]));
    const { http, sleeps } = client();
    await expect(http.get('/api/v3/trades')).resolves.toEqual([1]);
    expect(sleeps).toEqual([0]);
  });

  it('4xx is a non-retriable client error carrying Binance code and message', async () => {
    handler = (_req, res) => json(res, 400, { code: -1121, msg: 'Invalid symbol.' });
    const { http } = client();
    const err = (await http
      .get('/api/v3/klines', { symbol: 'NOPE' })
      .catch((e: unknown) => e)) as BinanceClientError;
    expect(err).toBeInstanceOf(BinanceClientError);
    expect(err).not.toBeInstanceOf(BinanceRateLimitError);
    expect(err.retriable).toBe(false);
    expect(err.code).toBe(-1121);
    expect(err.message).toMatch(/HTTP 400 code -1121: Invalid symbol\./);
    expect(requests).toHaveLength(1);
  });

  it('5xx is retried, then a retriable server error', async () => {
    let n = 0;
    handler = (_req, res) => (n++ < 2 ? json(res, 503, 'Service Unavailable') : json(res, 200, { ok: 1 }));
    await expect(client().http.get('/api/v3/ping')).resolves.toEqual({ ok: 1 });
    expect(requests).toHaveLength(3);

    handler = (_req, res) => json(res, 500, { code: -1000, msg: 'An unknown error occurred' });
    const err = (await client({ maxRetries: 2 })
      .http.get('/api/v3/ping')
      .catch((e: unknown) => e)) as BinanceServerError;
    expect(err).toBeInstanceOf(BinanceServerError);
    expect(err.retriable).toBe(true);
    expect(err.status).toBe(500);
    expect(requests).toHaveLength(3 + 3);
  });

  it('an unreachable host is a retriable network error', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const { http, sleeps } = client({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 2 });
    const err = (await http.get('/api/v3/ping').catch((e: unknown) => e)) as BinanceNetworkError;
    expect(err).toBeInstanceOf(BinanceNetworkError);
    expect(err.retriable).toBe(true);
    expect(err.message).toMatch(/could not reach/);
    expect(sleeps).toHaveLength(2);
  });

  it('a body of the wrong shape is a decode error naming the field', async () => {
    handler = (_req, res) => json(res, 200, { serverTime: 'x', symbols: [] });
    const err = await client()
      .api.exchangeInfo()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BinanceDecodeError);
    expect((err as Error).message).toMatch(/serverTime/);
  });
});

describe('market pagination (real recorded responses served page by page)', () => {
  it('klinesBetween walks the range by open time', async () => {
    const all = restFile('binance-spot-klines-20211022.json') as [number, ...unknown[]][];
    handler = (_req, res, url) => {
      const start = Number(url.searchParams.get('startTime'));
      const end = Number(url.searchParams.get('endTime'));
      const limit = Number(url.searchParams.get('limit'));
      json(res, 200, all.filter((k) => k[0] >= start && k[0] <= end).slice(0, limit));
    };
    const pages: number[] = [];
    const got: unknown[] = [];
    for await (const page of client().api.klinesBetween({
      symbol: 'BTCUSDT',
      interval: '1m',
      startTime: all[0]![0],
      endTime: all[9]![0],
      limit: 3,
    })) {
      pages.push(page.length);
      got.push(...page);
    }
    expect(pages).toEqual([3, 3, 3, 1]);
    expect(got).toEqual(all);
    expect(requests[0]).toBe(
      '/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=1634943780000&endTime=1634944320000&limit=3',
    );
  });

  it('aggTradesBetween finds the first trade by time, then walks ids; stops at endTime', async () => {
    const all = restFile('binance-spot-agg-trades-20211022.json') as { a: number; T: number }[];
    handler = (_req, res, url) => {
      const p = url.searchParams;
      const limit = Number(p.get('limit'));
      const rows = p.has('fromId')
        ? all.filter((t) => t.a >= Number(p.get('fromId')))
        : all.filter((t) => t.T >= Number(p.get('startTime')) && t.T <= Number(p.get('endTime')));
      json(res, 200, rows.slice(0, limit));
    };
    const ids: number[] = [];
    for await (const page of client().api.aggTradesBetween({
      symbol: 'BTCUSDT',
      startTime: all[0]!.T,
      endTime: all[7]!.T,
      limit: 4,
    })) {
      ids.push(...page.map((t) => t.a));
    }
    expect(ids).toEqual(all.slice(0, 8).map((t) => t.a));
    expect(requests[1]).toMatch(/fromId=966492866/);
  });

  it('historicalTradesFrom pages by id up to toId', async () => {
    const all = restFile('binance-spot-historical-trades-20211022.json') as { id: number }[];
    handler = (_req, res, url) => {
      const from = Number(url.searchParams.get('fromId'));
      json(res, 200, all.filter((t) => t.id >= from).slice(0, Number(url.searchParams.get('limit'))));
    };
    const ids: number[] = [];
    for await (const page of client().api.historicalTradesFrom({
      symbol: 'BTCUSDT',
      fromId: all[0]!.id,
      toId: all[6]!.id,
      limit: 3,
    })) {
      ids.push(...page.map((t) => t.id));
    }
    expect(ids).toEqual(all.slice(0, 7).map((t) => t.id));
  });
});
