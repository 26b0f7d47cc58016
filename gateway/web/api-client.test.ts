import { describe, expect, it } from 'vitest';
import { ApiError, createApiClient, type FetchLike } from './api-client.ts';

/** A fetch that records calls and answers from a table keyed by method and path. */
function fakeFetch(answers: Record<string, [number, unknown]>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    calls.push({ url, ...(init ? { init } : {}) });
    const key = `${init?.method ?? 'GET'} ${url.split('?')[0]}`;
    const [status, body] = answers[key] ?? [404, { error: 'not found' }];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetchFn, calls };
}

const workspace = {
  version: 1,
  userId: 'u',
  workspaceId: 'w',
  chart: { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m', bars: 200, theme: 'dark' },
  indicators: [{ id: 'i1', name: 'ema', params: { length: 20 } }],
  drawings: [{ id: 'd1', drawing: { type: 'hline', price: 100 } }],
  nextId: 2,
  updatedAt: '2024-01-01T00:00:00Z',
};

describe('createApiClient', () => {
  it('asks for the candles of the shown series with exchange, interval and limit', async () => {
    const { fetchFn, calls } = fakeFetch({
      'GET /api/candles': [
        200,
        { exchange: 'BINANCE', symbol: 'BTCUSDT', interval: '5m', columns: [], bars: [] },
      ],
    });
    await createApiClient(fetchFn).candles({ exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m' }, 500);
    const url = new URL(calls[0]!.url, 'http://x');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      symbol: 'BTCUSDT',
      exchange: 'BINANCE',
      interval: '5m',
      limit: '500',
    });
  });

  it('reads the workspace (extra fields ignored) and checks its drawings against the catalogue', async () => {
    const ok = fakeFetch({ 'GET /api/workspace': [200, workspace] });
    const ws = await createApiClient(ok.fetchFn).workspace();
    expect(ws.chart).toMatchObject({ symbol: 'BTCUSDT', period: '5m' });
    expect(ws.drawings).toEqual([{ id: 'd1', drawing: { type: 'hline', price: 100 } }]);

    const bad = fakeFetch({
      'GET /api/workspace': [200, { ...workspace, drawings: [{ id: 'd1', drawing: { type: 'spiral' } }] }],
    });
    await expect(createApiClient(bad.fetchFn).workspace()).rejects.toThrow(/unexpected answer/);
  });

  it('PUTs a drawing as {drawing} JSON and returns its id; DELETEs by id', async () => {
    const { fetchFn, calls } = fakeFetch({
      'PUT /api/workspace/drawings': [201, { id: 'd7', workspace }],
      'DELETE /api/workspace/drawings/d%2F7': [200, { workspace }],
    });
    const api = createApiClient(fetchFn);
    expect((await api.addDrawing({ type: 'hline', price: 42 })).id).toBe('d7');
    expect(calls[0]!.init?.method).toBe('PUT');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ drawing: { type: 'hline', price: 42 } });
    expect(calls[0]!.init?.headers).toMatchObject({ 'content-type': 'application/json' });
    expect((await api.deleteDrawing('d/7')).workspaceId).toBe('w');
    expect(calls[1]!.init?.method).toBe('DELETE');
  });

  it('PUTs the shown series as the workspace chart', async () => {
    const { fetchFn, calls } = fakeFetch({ 'PUT /api/workspace/chart': [200, { workspace }] });
    const ws = await createApiClient(fetchFn).setChart({
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      period: '5m',
    });
    expect(ws.chart).toMatchObject({ symbol: 'BTCUSDT', period: '5m' });
    expect(calls[0]!.init?.method).toBe('PUT');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      period: '5m',
    });
  });

  it('turns an error answer into an ApiError with the status and the server’s words', async () => {
    const { fetchFn } = fakeFetch({
      'GET /api/symbols': [401, { error: 'unauthorized', why: 'no session' }],
    });
    const error = await createApiClient(fetchFn)
      .symbols()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, path: '/api/symbols', why: 'unauthorized: no session' });
  });

  it('asks quotes for EXCHANGE:SYMBOL', async () => {
    const quote = { exchange: 'BINANCE', symbol: 'BTCUSDT', price: '65000.1', time: null, source: 'live' };
    const { fetchFn, calls } = fakeFetch({ 'GET /api/quotes': [200, { quotes: [quote] }] });
    expect(await createApiClient(fetchFn).quote({ exchange: 'BINANCE', symbol: 'BTCUSDT' })).toEqual(quote);
    expect(new URL(calls[0]!.url, 'http://x').searchParams.get('symbols')).toBe('BINANCE:BTCUSDT');
  });

  it('lists, POSTs and DELETEs alert rules', async () => {
    const rule = {
      id: 'r/1',
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      kind: 'price_level',
      description: 'price crosses 61000 (up)',
      mode: 'once',
      createdAt: '2024-08-09T00:05:05Z',
      expiresAt: null,
      note: null,
    };
    const { fetchFn, calls } = fakeFetch({
      'GET /api/alerts': [200, { alerts: [rule], used: 1, limit: 10 }],
      'POST /api/alerts': [201, { alert: rule, used: 1, limit: 10 }],
      'DELETE /api/alerts/r%2F1': [200, { deleted: 'r/1' }],
    });
    const api = createApiClient(fetchFn);
    expect(await api.alerts()).toEqual({ alerts: [rule], used: 1, limit: 10 });
    const request = { symbol: 'BTCUSDT', exchange: 'BINANCE', drawing_id: 'd3' };
    expect((await api.createAlert(request)).alert.id).toBe('r/1');
    expect(calls[1]!.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[1]!.init?.body))).toEqual(request);
    await api.deleteAlert('r/1');
    expect(calls[2]!.init?.method).toBe('DELETE');
    const refused = fakeFetch({ 'POST /api/alerts': [400, { error: 'licence: alert limit reached' }] });
    await expect(createApiClient(refused.fetchFn).createAlert(request)).rejects.toMatchObject({
      status: 400,
      why: 'licence: alert limit reached',
    });
  });
});
