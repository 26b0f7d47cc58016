import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { until } from '../../../../test/support/index.ts';
import type { RawFrame } from '../../types.ts';
import { BinanceNetworkError } from '../errors.ts';
import { readRecording } from '../testing/recordings.ts';
import {
  type BinanceWsClient,
  type BinanceWsClientOptions,
  createBinanceWsClient,
  reconnectDelayMs,
} from './client.ts';

const recorded = readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz')
  .filter((f) => Buffer.from(f.data).subarray(0, 9).toString() === '{"stream"')
  .slice(0, 200);

interface Conn {
  readonly ws: WebSocket;
  readonly url: string;
  readonly received: string[];
  closedBy?: number;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function startServer(options: { autoPong?: boolean } = {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: options.autoPong ?? true });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const conns: Conn[] = [];
  const waiters: (() => void)[] = [];
  let onConnect: (c: Conn) => void = () => {};
  wss.on('connection', (ws, req) => {
    const conn: Conn = { ws, url: req.url ?? '', received: [] };
    ws.on('message', (d) => conn.received.push(d.toString()));
    ws.on('close', (code) => {
      conn.closedBy = code;
    });
    conns.push(conn);
    onConnect(conn);
    for (const w of waiters.splice(0)) w();
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  );
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    conns,
    onConnect(fn: (c: Conn) => void) {
      onConnect = fn;
    },
    async waitConnections(n: number) {
      while (conns.length < n) await new Promise<void>((r) => waiters.push(r));
      return conns[n - 1]!;
    },
  };
}

function makeClient(
  url: string,
  frames: RawFrame[],
  overrides: Partial<BinanceWsClientOptions> = {},
): BinanceWsClient {
  const client = createBinanceWsClient(
    { random: () => 0.5 },
    {
      baseUrl: url,
      streams: ['btcusdt@trade', 'btcusdt@bookTicker'],
      maxStreamsPerConnection: 1024,
      maxIncomingMessagesPerSecond: 5,
      pingIntervalMs: 60_000,
      deadAfterMs: 120_000,
      maxConnectionAgeMs: 3_600_000,
      reconnect: { initialDelayMs: 5, maxDelayMs: 50, jitter: 0.5 },
      onFrame: (f) => frames.push(f),
      ...overrides,
    },
  );
  cleanups.push(() => client.stop());
  return client;
}

describe('Binance websocket client', () => {
  it('connects to /stream?streams=... and hands over recorded frames byte for byte with receive time', async () => {
    const server = await startServer();
    server.onConnect((c) => {
      for (const f of recorded) c.ws.send(Buffer.from(f.data).toString());
    });
    const frames: RawFrame[] = [];
    const client = makeClient(server.url, frames);
    await client.start();
    await until(() => frames.length === recorded.length, 'frames');
    expect(server.conns[0]!.url).toBe('/stream?streams=btcusdt@trade/btcusdt@bookTicker');
    for (let i = 0; i < recorded.length; i++) {
      expect(Buffer.compare(Buffer.from(frames[i]!.data), Buffer.from(recorded[i]!.data))).toBe(0);
    }
    expect(frames[0]!.receivedAtUs).toBeGreaterThan(Date.now() * 1000 - 60_000_000);
  });

  it('answers server pings', async () => {
    const server = await startServer();
    const client = makeClient(server.url, []);
    await client.start();
    const conn = await server.waitConnections(1);
    const pong = new Promise<string>((r) => conn.ws.once('pong', (d) => r(d.toString())));
    conn.ws.ping('hello');
    expect(await pong).toBe('hello');
  });

  it('reconnects with backoff and resubscribes every stream after the server drops it', async () => {
    const server = await startServer();
    const frames: RawFrame[] = [];
    const client = makeClient(server.url, frames);
    await client.start();
    const first = await server.waitConnections(1);

    // A dynamic subscription goes out as a SUBSCRIBE message on the open connection.
    await client.subscribe(['ethusdt@aggTrade']);
    await until(() => first.received.length === 1, 'SUBSCRIBE');
    expect(JSON.parse(first.received[0]!)).toEqual({
      method: 'SUBSCRIBE',
      params: ['ethusdt@aggTrade'],
      id: 1,
    });
    first.ws.send('{"result":null,"id":1}'); // the reply is not a frame

    first.ws.terminate();
    const second = await server.waitConnections(2);
    expect(second.url).toBe('/stream?streams=btcusdt@trade/btcusdt@bookTicker/ethusdt@aggTrade');
    second.ws.send(Buffer.from(recorded[0]!.data).toString());
    await until(() => frames.length === 1, 'frame after reconnect');
    expect(frames).toHaveLength(1);
    expect(client.stats()).toMatchObject({ reconnects: 1, open: 1 });
  });

  it('declares a silent socket dead (no pong), terminates it and reconnects', async () => {
    const server = await startServer({ autoPong: false });
    const client = makeClient(server.url, [], { pingIntervalMs: 30, deadAfterMs: 80 });
    await client.start();
    await server.waitConnections(2);
    expect(client.stats().deadSockets).toBeGreaterThanOrEqual(1);
  });

  it('rotates before the connection age limit: new socket first, then closes the old one', async () => {
    const server = await startServer();
    const client = makeClient(server.url, [], { maxConnectionAgeMs: 100 });
    await client.start();
    await server.waitConnections(2);
    await until(() => server.conns[0]!.closedBy !== undefined, 'old socket closed');
    expect(server.conns[0]!.closedBy).toBe(1000);
    expect(server.conns[1]!.url).toBe(server.conns[0]!.url);
    expect(client.stats()).toMatchObject({ rotations: 1, reconnects: 0 });
  });

  it('splits streams over connections by the per-connection limit', async () => {
    const server = await startServer();
    const client = makeClient(server.url, [], {
      streams: ['btcusdt@trade', 'ethusdt@trade', 'bnbusdt@trade'],
      maxStreamsPerConnection: 2,
    });
    await client.start();
    expect(server.conns.map((c) => c.url).sort()).toEqual([
      '/stream?streams=bnbusdt@trade',
      '/stream?streams=btcusdt@trade/ethusdt@trade',
    ]);
    expect(client.streams()).toEqual([['btcusdt@trade', 'ethusdt@trade'], ['bnbusdt@trade']]);
  });

  it('start fails with a network error when nothing listens', async () => {
    const server = await startServer();
    const url = server.url;
    await cleanups.pop()!(); // close the server
    const client = makeClient(url, []);
    await expect(client.start()).rejects.toBeInstanceOf(BinanceNetworkError);
  });

  it('backoff doubles up to the ceiling, with jitter', () => {
    const policy = { initialDelayMs: 500, maxDelayMs: 30_000, jitter: 0.5 };
    expect([0, 1, 2, 3, 10].map((a) => reconnectDelayMs(a, policy, () => 0))).toEqual([
      500, 1000, 2000, 4000, 30_000,
    ]);
    expect(reconnectDelayMs(1, policy, () => 0.999)).toBe(500);
  });
});
