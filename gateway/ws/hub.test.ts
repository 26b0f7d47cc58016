/**
 * The WebSocket at /ws through a real http server on port 0 and the `ws` client: who may
 * connect, live relay with backpressure, workspace changes from another store, the chat stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, type NetConnectOpts, connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientOptions, WebSocket } from 'ws';
import type { TurnEvent } from '../../agents/runtime/turn.ts';
import { createWorkspaceStore, type WorkspaceStore } from '../../mcp-servers/workspace/index.ts';
import type { LiveEvent } from '../../pipeline/realtime/index.ts';
import { until } from '../../test/support/index.ts';
import type { GatewayOptions } from '../app.ts';
import { ALICE_TOKEN, bearer, sessionCookie, type TestGateway, testGateway } from '../testing/gateway.ts';
import type { ChatHandler, ChatRequest } from './chat-session.ts';
import { createLiveRouter, type LiveRouter } from './live-feed.ts';
import type { ServerMessage } from './protocol.ts';
import { openRecordingSocket } from './testing/recording-socket.ts';
import { createWorkspaceFeed } from './workspace-feed.ts';

const DAVE_TOKEN = 'dave-token-0123456789abcdef';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  readonly gateway: TestGateway;
  readonly url: string;
  readonly live: LiveRouter;
  readonly store: WorkspaceStore;
  readonly dataDir: string;
}

async function start(options: { chat?: ChatHandler; ws?: GatewayOptions['ws'] } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qf-ws-'));
  const store = createWorkspaceStore({ dataDir });
  const workspaces = createWorkspaceFeed({ store, dataDir });
  const live = createLiveRouter();
  const gateway = testGateway(
    {
      tokens: {
        [ALICE_TOKEN]: { userId: 'alice', licence: 'free' },
        [DAVE_TOKEN]: { userId: 'dave', licence: 'pro' },
      },
      ...(options.ws ? { ws: options.ws } : {}),
    },
    {
      ws: {
        live,
        workspaces,
        ...(options.chat ? { chat: options.chat } : {}),
        files: {
          put: async (userId, bytes, mediaType) => ({
            path: `/files/${userId}/${bytes.length}.${mediaType.split('/')[1]}`,
          }),
        },
      },
    },
  );
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', gateway.upgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => workspaces.close(),
    () => new Promise((resolve) => server.close(resolve)),
    () => gateway.close(),
  );
  return { gateway, url: `ws://127.0.0.1:${port}/ws`, live, store, dataDir };
}

interface Client {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[];
  /** The raw TCP socket (to pause it: a client that stops reading). */
  readonly socket: Socket;
  send(message: object): void;
  /** Waits for the first message of `type` after index `from`, and returns it. */
  next<T extends ServerMessage['type']>(type: T, from?: number): Promise<Extract<ServerMessage, { type: T }>>;
}

async function open(url: string, headers: Record<string, string>): Promise<Client> {
  let socket: Socket | undefined;
  // http.request's createConnection: keep the TCP socket, to pause it later.
  const keep = (opts: NetConnectOpts): Socket => {
    socket = netConnect(opts);
    return socket;
  };
  const options: ClientOptions = { headers, createConnection: keep as typeof netConnect };
  const { ws, messages } = await openRecordingSocket(url, options);
  cleanups.push(() => ws.terminate());
  const client: Client = {
    ws,
    messages,
    socket: socket as Socket,
    send: (message) => ws.send(JSON.stringify(message)),
    async next(type, from = 0) {
      let found: ServerMessage | undefined;
      await until(
        () => {
          found = messages.slice(from).find((m) => m.type === type);
          return found !== undefined;
        },
        () => `a ${type} message; got ${messages.map((m) => m.type).join(', ')}`,
        { timeoutMs: 10_000 },
      );
      return found as Extract<ServerMessage, { type: typeof type }>;
    },
  };
  await client.next('hello');
  return client;
}

/** The refusal an upgrade gets: status and JSON body. */
function refused(url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
}

async function loginCookie(gateway: TestGateway, userId: string): Promise<string> {
  const code = gateway.links.issue({ userId, licence: 'pro' });
  return sessionCookie(await gateway.app.request(`http://gw.test/login?code=${code}`));
}

const trade = (seq: number): LiveEvent => ({
  kind: 'trade',
  venue: 'BINANCE',
  symbol: 'BTCUSDT',
  timeUs: 1_723_161_240_000_000 + seq,
  price: `61837.${seq % 100}`,
  qty: '0.001',
  side: 'buy',
  seq,
});
const bar = (close: number, openTimeUs = 1_723_161_240_000_000): LiveEvent => ({
  kind: 'bar',
  venue: 'BINANCE',
  symbol: 'BTCUSDT',
  period: '1m',
  openTimeUs,
  open: '61800',
  high: '61900',
  low: '61700',
  close: String(close),
  volume: '12.5',
  revision: 0,
  final: false,
});
const BARS_1M = { op: 'subscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' };
const TRADES = { op: 'subscribe', stream: 'trades', exchange: 'BINANCE', symbol: 'BTCUSDT' };

describe('gateway WebSocket /ws', () => {
  it('refuses an upgrade without a credential (401), with a bad one (401), from a foreign Origin (403)', async () => {
    const { url } = await start();
    expect(await refused(url, {})).toEqual({
      status: 401,
      body: {
        error: 'unauthorized',
        why: 'no bearer token and no session cookie; open a login link or send a bearer token',
      },
    });
    expect((await refused(url, bearer('not-a-token'))).status).toBe(401);
    expect((await refused(url, { Cookie: 'qf_session=garbage' })).status).toBe(401);
    expect(await refused(url, { ...bearer(ALICE_TOKEN), Origin: 'https://evil.example' })).toEqual({
      status: 403,
      body: { error: 'forbidden', why: 'origin https://evil.example is not allowed' },
    });
    expect((await refused(url.replace('/ws', '/other'), bearer(ALICE_TOKEN))).status).toBe(404);
  });

  it('lets a bearer client and a session-cookie client in, each with its own identity and workspace', async () => {
    const { gateway, url, store } = await start();
    const cookie = await loginCookie(gateway, 'carol');
    await store.update({ userId: 'carol', workspaceId: 'default' }, (ws) => ({
      ...ws,
      chart: { exchange: 'BINANCE', symbol: 'ETHUSDT', period: '5m', bars: 200, theme: 'dark' },
    }));
    const alice = await open(url, bearer(ALICE_TOKEN));
    const carol = await open(url, { Cookie: cookie, Origin: 'https://charts.example.com' });
    expect(alice.messages[0]).toMatchObject({
      type: 'hello',
      userId: 'alice',
      workspaceId: 'default',
      chat: false,
    });
    expect(carol.messages[0]).toMatchObject({ type: 'hello', userId: 'carol' });
    expect((await carol.next('workspace')).workspace.chart).toMatchObject({ symbol: 'ETHUSDT' });
    expect((await alice.next('workspace')).workspace.chart).toBeNull();
    expect(gateway.wsClients()).toBe(2);
  });

  it('relays bars to the client subscribed to them; the other user gets neither them nor A’s workspace or chat', async () => {
    const chat: ChatHandler = async (_identity, request) => {
      request.onEvent({ type: 'text', index: 0, text: 'secret answer' });
      return { text: 'secret answer' };
    };
    const { url, live, store } = await start({ chat });
    const alice = await open(url, bearer(ALICE_TOKEN));
    const dave = await open(url, bearer(DAVE_TOKEN));
    await alice.next('workspace');
    await dave.next('workspace');
    alice.send(BARS_1M);
    await alice.next('subscribed');
    live.publish(bar(61850));
    expect(await alice.next('bar')).toEqual({
      type: 'bar',
      exchange: 'BINANCE',
      symbol: 'BTCUSDT',
      period: '1m',
      time: 1_723_161_240,
      open: 61800,
      high: 61900,
      low: 61700,
      close: 61850,
      volume: 12.5,
      final: false,
    });
    await store.update({ userId: 'alice', workspaceId: 'default' }, (ws) => ({
      ...ws,
      chart: { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m', bars: 200, theme: 'dark' },
    }));
    const changed = alice.messages.length;
    await alice.next('workspace', changed - 1);
    alice.send({ op: 'chat', text: 'what is my secret?' });
    await alice.next('chat.done');
    // Anything sent to dave with alice's traffic is in before the answer to his ping.
    dave.send({ op: 'ping' });
    await dave.next('pong');
    expect(dave.messages.map((m) => m.type)).toEqual(['hello', 'workspace', 'pong']);
  });

  it('sends bar updates published in one turn once, the newest per bar; every trade goes out', async () => {
    const { url, live } = await start();
    const alice = await open(url, bearer(ALICE_TOKEN));
    alice.send(BARS_1M);
    await alice.next('subscribed');
    alice.send(TRADES);
    const from = alice.messages.length;
    await alice.next('subscribed', from);
    const nextMinute = 1_723_161_300_000_000;
    live.publish(bar(61850));
    live.publish(trade(1));
    live.publish(bar(61860));
    live.publish(bar(61870, nextMinute));
    live.publish(trade(2));
    live.publish(bar(61880, nextMinute));
    alice.send({ op: 'ping' });
    await alice.next('pong', from);
    const bars = alice.messages.flatMap((m) => (m.type === 'bar' ? [[m.time, m.close]] : []));
    expect(bars).toEqual([
      [1_723_161_240, 61860],
      [1_723_161_300, 61880],
    ]);
    expect(alice.messages.flatMap((m) => (m.type === 'trade' ? [m.seq] : []))).toEqual([1, 2]);
  });

  it('keeps a fast client complete while a client that stops reading is conflated and dropped, then told', async () => {
    const { gateway, url, live } = await start({ ws: { softLimitBytes: 16 * 1024 } });
    const fast = await open(url, bearer(ALICE_TOKEN));
    const slow = await open(url, bearer(DAVE_TOKEN));
    for (const client of [fast, slow]) {
      client.send(TRADES);
      client.send(BARS_1M);
      await until(() => client.messages.filter((m) => m.type === 'subscribed').length === 2, 'two acks');
    }
    slow.socket.pause();
    let seq = 0;
    let close = 60_000;
    const dropped = async (): Promise<number> => {
      const metric = await gateway.registry.getSingleMetric('qf_gateway_ws_messages_dropped_total')?.get();
      return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
    };
    // Pump until the slow client's buffers are full and the hub starts dropping for it.
    await until(
      async () => {
        for (let i = 0; i < 500; i++) live.publish(trade(++seq));
        live.publish(bar(++close));
        return (await dropped()) > 0;
      },
      'the hub dropping for the slow client',
      { intervalMs: 5 },
    );
    for (let i = 0; i < 200; i++) live.publish(trade(++seq));
    live.publish(bar(++close));
    const trades = (c: Client) => c.messages.filter((m) => m.type === 'trade');
    // The fast client gets every trade, in order, while the slow one is still not reading.
    await until(
      () => trades(fast).length === seq,
      () => `fast has ${trades(fast).length} of ${seq} trades`,
    );
    expect(trades(fast).map((t) => (t.type === 'trade' ? t.seq : 0))).toEqual(
      Array.from({ length: seq }, (_, i) => i + 1),
    );
    expect(fast.messages.some((m) => m.type === 'dropped')).toBe(false);

    slow.socket.resume();
    const notice = await slow.next('dropped');
    expect(notice.stream).toBe('trades');
    expect(trades(slow).length + notice.count).toBe(seq);
    await until(
      () => slow.messages.some((m) => m.type === 'bar' && m.close === close),
      'the latest bar after catching up',
    );
    const slowBars = slow.messages.filter((m) => m.type === 'bar');
    // Conflated: fewer bars than were published, the last one the latest.
    expect(slowBars.length).toBeLessThan(close - 60_000);
    expect(slowBars.at(-1)).toMatchObject({ close });
  });

  it('closes a client that stays congested with 1013', async () => {
    const { gateway, url, live } = await start({ ws: { softLimitBytes: 16 * 1024, maxStallMs: 100 } });
    const slow = await open(url, bearer(DAVE_TOKEN));
    slow.send(TRADES);
    await slow.next('subscribed');
    slow.socket.pause();
    const stalled = async (): Promise<number> =>
      (await gateway.registry.getSingleMetric('qf_gateway_ws_slow_closes_total')?.get())?.values[0]?.value ??
      0;
    let seq = 0;
    await until(
      async () => {
        for (let i = 0; i < 500; i++) live.publish(trade(++seq));
        return (await stalled()) > 0;
      },
      'the slow client closed',
      { intervalMs: 5 },
    );
    const closed = new Promise<number>((resolve) => slow.ws.once('close', (code) => resolve(code)));
    slow.socket.resume();
    expect(await closed).toBe(1013);
  });

  it('limits live subscriptions per connection', async () => {
    const { url } = await start({ ws: { maxSubscriptions: 2 } });
    const alice = await open(url, bearer(ALICE_TOKEN));
    for (const symbol of ['A', 'B', 'C']) alice.send({ ...TRADES, symbol });
    const error = await alice.next('error');
    expect(error.why).toBe('at most 2 live subscriptions per connection; unsubscribe from one first');
    expect(alice.messages.filter((m) => m.type === 'subscribed')).toHaveLength(2);
  });

  it('pushes a workspace change written by another store instance (another process) to the client', async () => {
    const { url, dataDir } = await start();
    const alice = await open(url, bearer(ALICE_TOKEN));
    await alice.next('workspace');
    const from = alice.messages.length;
    const other = createWorkspaceStore({ dataDir });
    await other.update({ userId: 'alice', workspaceId: 'default' }, (ws) => ({
      ...ws,
      drawings: [{ id: 'd1', drawing: { type: 'hline', price: 61000 } }],
      nextId: 2,
    }));
    const changed = await alice.next('workspace', from);
    expect(changed.workspace.drawings).toEqual([
      { id: 'd1', drawing: expect.objectContaining({ price: 61000 }) },
    ]);
  });

  it('streams a chat turn (deltas, tools, images, done) and aborts it on chat.cancel', async () => {
    const seen: ChatRequest[] = [];
    const chat: ChatHandler = async (_identity, request) => {
      seen.push(request);
      if (request.text === 'wait') {
        await new Promise((_resolve, reject) =>
          request.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      const events: TurnEvent[] = [
        { type: 'text', index: 0, text: 'Drawing ' },
        { type: 'tool_call', name: 'add_drawing', id: 'tu1' },
        {
          type: 'tool_result',
          name: 'add_drawing',
          id: 'tu1',
          isError: false,
          images: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } }],
        },
        { type: 'text', index: 1, text: 'done.' },
      ];
      for (const event of events) request.onEvent(event);
      return { text: 'Drawing done.' };
    };
    const { url } = await start({ chat });
    const alice = await open(url, bearer(ALICE_TOKEN));
    expect(alice.messages[0]).toMatchObject({ chat: true });
    alice.send({ op: 'chat', text: 'draw a level', soul: 'chartist' });
    await alice.next('chat.done');
    expect(alice.messages.filter((m) => m.type.startsWith('chat.'))).toEqual([
      { type: 'chat.start', turn: 't1', soul: 'chartist' },
      { type: 'chat.delta', turn: 't1', text: 'Drawing ' },
      { type: 'chat.tool', turn: 't1', name: 'add_drawing', state: 'running' },
      { type: 'chat.tool', turn: 't1', name: 'add_drawing', state: 'done' },
      { type: 'chat.delta', turn: 't1', text: 'done.' },
      { type: 'chat.image', turn: 't1', url: '/files/alice/6.png', mediaType: 'image/png' },
      { type: 'chat.done', turn: 't1', text: 'Drawing done.' },
    ]);

    const from = alice.messages.length;
    alice.send({ op: 'chat', text: 'wait' });
    await alice.next('chat.start', from);
    alice.send({ op: 'chat.cancel' });
    expect(await alice.next('chat.error', from)).toEqual({
      type: 'chat.error',
      turn: 't2',
      why: 'cancelled',
    });
    expect(seen[1]?.signal.aborted).toBe(true);
    alice.send({ op: 'ping' });
    await alice.next('pong', from);
    expect(alice.messages.slice(from).some((m) => m.type === 'chat.done')).toBe(false);
  });

  it('without a chat dependency says what to set, in hello and in answer to a chat', async () => {
    const { url } = await start();
    const alice = await open(url, bearer(ALICE_TOKEN));
    const why = 'set anthropic.apiKey in secrets.yaml (or ANTHROPIC_API_KEY) to chat with the agents';
    expect(alice.messages[0]).toEqual({
      type: 'hello',
      userId: 'alice',
      workspaceId: 'default',
      chat: false,
      chatWhy: why,
    });
    alice.send({ op: 'chat', text: 'hi' });
    expect(await alice.next('chat.error')).toEqual({ type: 'chat.error', why });
    alice.send({ op: 'nope' });
    expect((await alice.next('error')).why).toMatch(/not a valid message/);
  });
});
