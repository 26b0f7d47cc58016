/**
 * The WebSocket hub: one connection per client at `/ws` (`ws` in noServer mode, fed by the
 * http server's 'upgrade' event). A connection is authenticated at the upgrade and then gets
 * `hello`, its own workspace (now and after every change), the live streams it subscribes to,
 * and its chat. Live fan-out serializes each message once and offers the same bytes to every
 * subscribed client through its sender (client-sender.ts: a slow client is conflated or
 * dropped, never waited for).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../core/logger.ts';
import type { Workspace } from '../../mcp-servers/workspace/index.ts';
import type { Identity } from '../types.ts';
import type { AlertFeed } from './alert-inbox.ts';
import { CHAT_UNAVAILABLE, type ChatHandler, createChatSession, type FileStore } from './chat-session.ts';
import { type BackpressureOptions, type ClientSender, createClientSender } from './client-sender.ts';
import { type LiveFeed, type LiveMessage, type LiveTopic, liveKey } from './live-feed.ts';
import { type ClientMessage, clientMessageSchema, type LiveStream, type ServerMessage } from './protocol.ts';
import { refuseUpgrade, type UpgradeAuthenticator } from './upgrade.ts';
import type { WorkspaceFeed } from './workspace-feed.ts';

/** What the hub serves; each part optional (absent: that part says so to the client). */
export interface WsHubDeps {
  /** Live trades, bars and quotes (app/: a `createLiveRouter()` fed by the ZeroMQ subscriber). */
  readonly live?: LiveFeed;
  /** The caller's workspace and its changes (app/: `createWorkspaceFeed`). */
  readonly workspaces?: WorkspaceFeed;
  /** One chat turn (app/: `AgentRuntime.chat`); absent: `hello.chat` is false and says why. */
  readonly chat?: ChatHandler;
  /** The user's delivered alerts (app/: `createAlertInbox`, fed by the alert deliverer). */
  readonly alerts?: AlertFeed;
  /** Where chat images are kept for the page (`/files/…` URLs). */
  readonly files?: FileStore;
  readonly logger?: Pick<Logger, 'warn'>;
}

export interface WsHubOptions extends BackpressureOptions {
  /** Live subscriptions one connection may hold (default 50). */
  readonly maxSubscriptions?: number;
  /** Largest client frame accepted (default 64 KiB). */
  readonly maxPayloadBytes?: number;
}

export interface WsHub {
  /** Handles the http server's 'upgrade' event: `server.on('upgrade', hub.upgrade)`. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Connected clients. */
  clients(): number;
  /** Closes every connection (1001) and stops. */
  close(): Promise<void>;
}

interface Connection {
  readonly identity: Identity;
  readonly sender: ClientSender;
  readonly subscriptions: Map<string, LiveTopic>;
  /** The last workspace sent, and its `updatedAt` (states can arrive twice and out of order). */
  workspaceAt: string;
  workspaceFrame: string;
}

interface LiveEntry {
  readonly clients: Set<Connection>;
  readonly unsubscribe: () => void;
}

const WS_PATH = '/ws';

export function createWsHub(
  deps: WsHubDeps & { readonly authenticate: UpgradeAuthenticator; readonly registry: Registry },
  options: WsHubOptions = {},
): WsHub {
  const maxSubscriptions = options.maxSubscriptions ?? 50;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes ?? 64 * 1024,
    perMessageDeflate: false,
  });
  const connections = new Set<Connection>();
  const live = new Map<string, LiveEntry>();
  const workspaceEntries = new Map<string, { clients: Set<Connection>; unsubscribe: () => void }>();

  const connected = new Gauge({
    name: 'qf_gateway_ws_clients',
    help: 'WebSocket clients connected',
    registers: [deps.registry],
  });
  const sentCounter = new Counter({
    name: 'qf_gateway_ws_messages_sent_total',
    help: 'Live messages sent to WebSocket clients (one per client)',
    registers: [deps.registry],
  });
  const droppedCounter = new Counter({
    name: 'qf_gateway_ws_messages_dropped_total',
    help: 'Live messages a slow WebSocket client did not get (trades dropped, bars/quotes conflated)',
    labelNames: ['stream'] as const,
    registers: [deps.registry],
  });
  const stalledCounter = new Counter({
    name: 'qf_gateway_ws_slow_closes_total',
    help: 'WebSocket clients closed (1013) for staying congested',
    registers: [deps.registry],
  });
  const droppedBy: Record<LiveStream, Counter.Internal> = {
    trades: droppedCounter.labels('trades'),
    bars: droppedCounter.labels('bars'),
    quotes: droppedCounter.labels('quotes'),
  };
  const hooks = {
    onDropped: (stream: LiveStream) => droppedBy[stream].inc(),
    onFlushed: (frames: number) => sentCounter.inc(frames),
    onStalled: () => stalledCounter.inc(),
  };

  const send = (conn: Connection, message: ServerMessage): void =>
    conn.sender.control(JSON.stringify(message));

  // ---- live fan-out -------------------------------------------------------------------------

  function liveListener(stream: LiveStream, key: string, clients: Set<Connection>) {
    return function fanOut(message: LiveMessage): void {
      if (clients.size === 0) return;
      if (message.type === 'trade') {
        deliver(stream, key, clients, message);
        return;
      }
      // A bar or quote replaces the one before it: several in one turn go out once, the newest.
      const conflateKey = message.type === 'bar' ? `${key}|${message.time}` : key;
      const waiting = coalesced.get(conflateKey);
      if (waiting !== undefined) {
        waiting.message = message;
        waiting.clients = clients;
        return;
      }
      coalesced.set(conflateKey, { stream, conflateKey, clients, message });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushCoalesced);
      }
    };
  }

  /**
   * Bars and quotes offered during one event-loop turn, sent at its end (setImmediate: right after
   * the I/O callbacks that brought them), the newest per conflation key. When the feed runs
   * behind (a burst, a busy loop), updates of one bar arrive back to back; sending each to every
   * client would cost a write per client per update and push the loop further behind.
   */
  const coalesced = new Map<
    string,
    { stream: LiveStream; conflateKey: string; clients: Set<Connection>; message: LiveMessage }
  >();
  let flushScheduled = false;

  function flushCoalesced(): void {
    flushScheduled = false;
    for (const p of coalesced.values()) deliver(p.stream, p.conflateKey, p.clients, p.message);
    coalesced.clear();
  }

  /** Serializes `message` once and offers the bytes to every client of its topic. */
  function deliver(stream: LiveStream, conflateKey: string, clients: Set<Connection>, message: LiveMessage) {
    if (clients.size === 0) return;
    const frame = Buffer.from(JSON.stringify(message));
    let sent = 0;
    for (const conn of clients) if (conn.sender.live(stream, conflateKey, frame) === 'sent') sent++;
    sentCounter.inc(sent);
  }

  function subscribe(conn: Connection, message: Extract<ClientMessage, { op: 'subscribe' }>): void {
    const { stream, exchange, symbol } = message;
    const ack = { stream, exchange, symbol, ...(stream === 'bars' ? { period: message.period } : {}) };
    if (deps.live === undefined) {
      send(conn, { type: 'error', why: 'no live feed in this gateway (is the pipeline running?)' });
      return;
    }
    if (stream === 'bars' && message.period === undefined) {
      send(conn, { type: 'error', why: 'subscribe to bars needs a period, e.g. "1m"' });
      return;
    }
    const key = liveKey(stream, exchange, symbol, message.period);
    if (!conn.subscriptions.has(key)) {
      if (conn.subscriptions.size >= maxSubscriptions) {
        send(conn, {
          type: 'error',
          why: `at most ${maxSubscriptions} live subscriptions per connection; unsubscribe from one first`,
        });
        return;
      }
      const topic: LiveTopic = {
        stream,
        exchange,
        symbol,
        ...(stream === 'bars' ? { period: message.period } : {}),
      };
      conn.subscriptions.set(key, topic);
      let entry = live.get(key);
      if (entry === undefined) {
        const clients = new Set<Connection>();
        entry = { clients, unsubscribe: deps.live.subscribe(topic, liveListener(stream, key, clients)) };
        live.set(key, entry);
      }
      entry.clients.add(conn);
    }
    send(conn, { type: 'subscribed', ...ack });
  }

  function unsubscribeKey(conn: Connection, key: string): void {
    conn.subscriptions.delete(key);
    const entry = live.get(key);
    if (entry === undefined) return;
    entry.clients.delete(conn);
    if (entry.clients.size === 0) {
      live.delete(key);
      entry.unsubscribe();
    }
  }

  // ---- workspace ----------------------------------------------------------------------------

  function sendWorkspace(conn: Connection, ws: Workspace, frame = workspaceFrame(ws)): void {
    if (ws.updatedAt < conn.workspaceAt || frame === conn.workspaceFrame) return;
    conn.workspaceAt = ws.updatedAt;
    conn.workspaceFrame = frame;
    conn.sender.control(frame);
  }

  function workspaceFrame(ws: Workspace): string {
    const message: ServerMessage = {
      type: 'workspace',
      workspace: {
        workspaceId: ws.workspaceId,
        chart: ws.chart,
        indicators: ws.indicators,
        drawings: ws.drawings,
        updatedAt: ws.updatedAt,
      },
    };
    return JSON.stringify(message);
  }

  function followWorkspace(conn: Connection): void {
    const feed = deps.workspaces;
    if (feed === undefined) return;
    const key = { userId: conn.identity.userId, workspaceId: conn.identity.workspaceId };
    const id = `${key.userId}/${key.workspaceId}`;
    let entry = workspaceEntries.get(id);
    if (entry === undefined) {
      const clients = new Set<Connection>();
      const unsubscribe = feed.subscribe(key, (ws) => {
        const frame = workspaceFrame(ws);
        for (const client of clients) sendWorkspace(client, ws, frame);
      });
      entry = { clients, unsubscribe };
      workspaceEntries.set(id, entry);
    }
    entry.clients.add(conn);
    feed.load(key).then(
      (ws) => {
        if (connections.has(conn)) sendWorkspace(conn, ws);
      },
      (error: unknown) => {
        deps.logger?.warn({ err: error, workspace: id }, 'gateway: workspace load failed');
        send(conn, { type: 'error', why: `your workspace could not be read: ${String(error)}` });
      },
    );
  }

  function unfollowWorkspace(conn: Connection): void {
    const id = `${conn.identity.userId}/${conn.identity.workspaceId}`;
    const entry = workspaceEntries.get(id);
    if (entry === undefined) return;
    entry.clients.delete(conn);
    if (entry.clients.size === 0) {
      workspaceEntries.delete(id);
      entry.unsubscribe();
    }
  }

  // ---- connections --------------------------------------------------------------------------

  function onConnection(ws: WebSocket, identity: Identity): void {
    const conn: Connection = {
      identity,
      sender: createClientSender(ws, hooks, options),
      subscriptions: new Map(),
      workspaceAt: '',
      workspaceFrame: '',
    };
    connections.add(conn);
    connected.inc();
    const chat = createChatSession({
      identity,
      chat: deps.chat,
      files: deps.files,
      send: (message) => send(conn, message),
    });

    ws.on('message', (data: RawData, isBinary: boolean) => {
      let parsed: ReturnType<typeof clientMessageSchema.safeParse>;
      try {
        parsed = clientMessageSchema.safeParse(JSON.parse(isBinary ? '' : data.toString()));
      } catch {
        send(conn, { type: 'error', why: 'messages are JSON text frames, e.g. {"op":"ping"}' });
        return;
      }
      if (!parsed.success) {
        send(conn, {
          type: 'error',
          why: `not a valid message: ${parsed.error.issues[0]?.message ?? 'unknown'}`,
        });
        return;
      }
      const message = parsed.data;
      switch (message.op) {
        case 'subscribe':
          subscribe(conn, message);
          break;
        case 'unsubscribe': {
          const { stream, exchange, symbol, period } = message;
          unsubscribeKey(conn, liveKey(stream, exchange, symbol, period));
          send(conn, {
            type: 'unsubscribed',
            stream,
            exchange,
            symbol,
            ...(stream === 'bars' && period !== undefined ? { period } : {}),
          });
          break;
        }
        case 'chat':
          if (deps.chat === undefined) send(conn, { type: 'chat.error', why: CHAT_UNAVAILABLE });
          else chat.start(message.text, message.soul);
          break;
        case 'chat.cancel':
          chat.cancel();
          break;
        case 'alerts.seen':
          deps.alerts?.markSeen(identity.userId, message.ids);
          break;
        case 'ping':
          send(conn, { type: 'pong' });
          break;
      }
    });
    ws.on('error', (error) =>
      deps.logger?.warn({ err: error, userId: identity.userId }, 'gateway: socket error'),
    );
    ws.on('close', () => {
      connections.delete(conn);
      connected.dec();
      conn.sender.dispose();
      chat.cancel();
      for (const key of [...conn.subscriptions.keys()]) unsubscribeKey(conn, key);
      unfollowWorkspace(conn);
      stopAlerts();
    });

    send(conn, {
      type: 'hello',
      userId: identity.userId,
      workspaceId: identity.workspaceId,
      chat: deps.chat !== undefined,
      ...(deps.chat === undefined ? { chatWhy: CHAT_UNAVAILABLE } : {}),
    });
    followWorkspace(conn);
    const stopAlerts = followAlerts(conn);
  }

  // ---- alerts -------------------------------------------------------------------------------

  /** Alerts delivered while no page was open, then each new one as it is delivered. */
  function followAlerts(conn: Connection): () => void {
    const feed = deps.alerts;
    if (feed === undefined) return () => {};
    const { userId } = conn.identity;
    const unsubscribe = feed.subscribe(userId, (alert) => send(conn, { type: 'alert', alert }));
    try {
      const unseen = feed.unseen(userId);
      if (unseen.length > 0) send(conn, { type: 'alerts.unseen', alerts: unseen });
    } catch (error) {
      deps.logger?.warn({ err: error, userId }, 'gateway: reading unseen alerts failed');
    }
    return unsubscribe;
  }

  return {
    upgrade(request, socket, head) {
      const path = new URL(request.url ?? '/', 'http://gateway').pathname;
      if (path !== WS_PATH) {
        refuseUpgrade(socket, 404, { error: 'not_found', why: `no WebSocket at ${path}; use ${WS_PATH}` });
        return;
      }
      // The socket may fail while the credential is checked; ws attaches its own handler later.
      const early = (error: Error): void =>
        deps.logger?.warn({ err: error }, 'gateway: upgrade socket error');
      socket.on('error', early);
      deps.authenticate(request).then(
        (result) => {
          socket.off('error', early);
          if ('refusal' in result) {
            refuseUpgrade(socket, result.status, result.refusal);
            return;
          }
          wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, result.identity));
        },
        (error: unknown) => {
          socket.off('error', early);
          deps.logger?.warn({ err: error }, 'gateway: upgrade authentication failed');
          refuseUpgrade(socket, 500, { error: 'internal', why: 'authentication failed' });
        },
      );
    },
    clients: () => connections.size,
    async close() {
      for (const client of wss.clients) client.close(1001, 'gateway shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
