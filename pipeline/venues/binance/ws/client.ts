/**
 * The Binance websocket client: combined streams (`/stream?streams=a/b/c`), split over as
 * many connections as the per-connection stream limit needs. Per connection it
 * - answers server pings (the `ws` library pongs automatically) and detects a dead socket:
 *   after `pingIntervalMs` of silence it pings, after `deadAfterMs` it terminates;
 * - reconnects with exponential backoff and jitter; the new URL carries every stream the
 *   connection had, so a reconnect resubscribes;
 * - rotates before Binance's 24-hour forced disconnect: a new socket opens first, then the old
 *   one closes (frames seen twice in the overlap are removed by event-id dedup downstream);
 * - paces SUBSCRIBE/UNSUBSCRIBE messages under Binance's incoming-message limit.
 * Frames go to `onFrame` as raw bytes with their local receive time.
 */
import WebSocket from 'ws';
import type { Logger } from '../../../../core/logger.ts';
import type { FrameHandler } from '../../types.ts';
import { BinanceNetworkError } from '../errors.ts';
import { classifyMessage, type ReconnectPolicy, reconnectDelayMs, toBuffer } from './messages.ts';
import { createSendQueue, type SendQueue } from './rate-limit.ts';

export { reconnectDelayMs } from './messages.ts';

/** Options of {@link createBinanceWsClient}. */
export interface BinanceWsClientOptions {
  /** e.g. wss://stream.binance.com:9443 (without /stream). */
  readonly baseUrl: string;
  /** Combined-stream names, e.g. `btcusdt@trade`, `!ticker@arr`. */
  readonly streams: readonly string[];
  readonly maxStreamsPerConnection: number;
  readonly maxIncomingMessagesPerSecond: number;
  readonly pingIntervalMs: number;
  readonly deadAfterMs: number;
  readonly maxConnectionAgeMs: number;
  readonly reconnect: ReconnectPolicy;
  readonly onFrame: FrameHandler;
}

/** Dependencies of {@link createBinanceWsClient}; all optional. */
export interface BinanceWsDeps {
  readonly logger?: Logger;
  /** Local time, epoch µs (receive time of frames). */
  readonly nowUs?: () => number;
  /** In [0, 1): jitter source. */
  readonly random?: () => number;
}

/** Counters of a websocket client. */
export interface BinanceWsStats {
  connections: number;
  open: number;
  frames: number;
  reconnects: number;
  rotations: number;
  deadSockets: number;
}

/** A running websocket client. */
export interface BinanceWsClient {
  /** Connects every connection; rejects with BinanceNetworkError if a first connect fails. */
  start(): Promise<void>;
  /** Closes every connection; no reconnects after. */
  stop(): Promise<void>;
  /** Adds streams: a paced SUBSCRIBE on open connections (resolves once queued), new connections when full (resolves once open). */
  subscribe(streams: readonly string[]): Promise<void>;
  unsubscribe(streams: readonly string[]): Promise<void>;
  /** Streams per connection, in connection order. */
  streams(): string[][];
  stats(): Readonly<BinanceWsStats>;
}

interface Slot {
  readonly index: number;
  readonly streams: Set<string>;
  current: WebSocket | undefined;
  attempt: number;
  reconnectTimer: NodeJS.Timeout | undefined;
  queue: SendQueue | undefined;
}

const CONTROL_PARAMS_PER_MESSAGE = 100;

/**
 * Creates the client; nothing connects until `start`.
 * @example
 * const ws = createBinanceWsClient({ logger }, { baseUrl: 'wss://stream.binance.com:9443',
 *   streams: ['btcusdt@trade'], ...limits, onFrame: (f) => ingest.push(f) });
 * await ws.start();
 */
export function createBinanceWsClient(deps: BinanceWsDeps, options: BinanceWsClientOptions): BinanceWsClient {
  const logger = deps.logger;
  const nowUs = deps.nowUs ?? (() => Math.round((performance.timeOrigin + performance.now()) * 1000));
  const random = deps.random ?? Math.random;
  const slots: Slot[] = [];
  const stats: BinanceWsStats = {
    connections: 0,
    open: 0,
    frames: 0,
    reconnects: 0,
    rotations: 0,
    deadSockets: 0,
  };
  const sockets = new Set<WebSocket>();
  let stopping = false;
  let started = false;
  let nextId = 1;

  function urlOf(slot: Slot): string {
    const list = [...slot.streams].join('/');
    return list === '' ? `${options.baseUrl}/stream` : `${options.baseUrl}/stream?streams=${list}`;
  }

  function addSlot(): Slot {
    const slot: Slot = {
      index: slots.length,
      streams: new Set(),
      current: undefined,
      attempt: 0,
      reconnectTimer: undefined,
      queue: undefined,
    };
    slots.push(slot);
    return slot;
  }

  function onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const receivedAtUs = nowUs();
    const buf = toBuffer(data);
    const kind = isBinary ? 'other' : classifyMessage(buf);
    if (kind === 'reply') return;
    if (kind === 'error-reply') {
      logger?.warn({ reply: buf.toString('utf8') }, 'Binance refused a websocket request');
      return;
    }
    stats.frames++;
    options.onFrame({ data: buf, receivedAtUs });
  }

  /** Opens a socket for `slot`. `rotation` keeps the old socket until the new one is open. */
  function open(slot: Slot, rotation: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(urlOf(slot), { handshakeTimeout: options.deadAfterMs });
      sockets.add(ws);
      stats.connections++;
      let lastActivity = Date.now();
      let opened = false;
      let heartbeat: NodeJS.Timeout | undefined;
      let rotateTimer: NodeJS.Timeout | undefined;
      const touch = () => {
        lastActivity = Date.now();
      };

      ws.on('open', () => {
        opened = true;
        stats.open++;
        touch();
        const old = slot.current;
        slot.current = ws;
        slot.attempt = 0;
        slot.queue?.clear();
        slot.queue = createSendQueue({
          maxMessagesPerSecond: options.maxIncomingMessagesPerSecond,
          send: (text) => {
            if (ws.readyState !== WebSocket.OPEN) return false;
            ws.send(text);
            return true;
          },
        });
        if (rotation && old !== undefined) {
          stats.rotations++;
          old.close(1000, 'rotating before the 24 h limit');
        }
        const checkEvery = Math.max(
          10,
          Math.floor(Math.min(options.pingIntervalMs, options.deadAfterMs) / 2),
        );
        heartbeat = setInterval(() => {
          const idle = Date.now() - lastActivity;
          if (idle > options.deadAfterMs) {
            stats.deadSockets++;
            logger?.warn({ url: options.baseUrl, idleMs: idle }, 'websocket silent too long; reconnecting');
            ws.terminate();
          } else if (idle > options.pingIntervalMs && ws.readyState === WebSocket.OPEN) {
            ws.ping();
          }
        }, checkEvery);
        rotateTimer = setTimeout(
          () => {
            if (!stopping && slot.current === ws) {
              open(slot, true).catch((err: unknown) =>
                logger?.warn({ err }, 'rotation connect failed; keeping old socket'),
              );
            }
          },
          Math.round(options.maxConnectionAgeMs * (1 - 0.02 * random())),
        );
        resolve();
      });
      ws.on('message', (data, isBinary) => {
        touch();
        onMessage(data, isBinary);
      });
      ws.on('ping', touch);
      ws.on('pong', touch);
      ws.on('error', (err) => {
        logger?.warn({ err, url: options.baseUrl }, 'websocket error');
        if (!opened)
          reject(
            new BinanceNetworkError(`websocket ${options.baseUrl}: ${err.message}`, {
              request: { method: 'WS', path: '/stream' },
              cause: err,
            }),
          );
      });
      ws.on('close', (code, reason) => {
        sockets.delete(ws);
        if (heartbeat !== undefined) clearInterval(heartbeat);
        if (rotateTimer !== undefined) clearTimeout(rotateTimer);
        if (opened) stats.open--;
        if (!opened)
          reject(
            new BinanceNetworkError(`websocket ${options.baseUrl}: closed before open (${code})`, {
              request: { method: 'WS', path: '/stream' },
            }),
          );
        // Only the slot's current socket reconnects; a rotated-out socket just goes.
        if (stopping || (opened && slot.current !== ws) || (!opened && rotation)) return;
        if (slot.current === ws) slot.current = undefined;
        logger?.info({ code, reason: reason.toString(), slot: slot.index }, 'websocket closed; reconnecting');
        scheduleReconnect(slot);
      });
    });
  }

  function scheduleReconnect(slot: Slot): void {
    if (stopping || slot.reconnectTimer !== undefined || !started) return;
    const delay = reconnectDelayMs(slot.attempt, options.reconnect, random);
    slot.attempt++;
    slot.reconnectTimer = setTimeout(() => {
      slot.reconnectTimer = undefined;
      stats.reconnects++;
      open(slot, false).catch(() => {
        // the close handler of the failed socket schedules the next attempt
      });
    }, delay);
  }

  function place(streams: readonly string[]): Map<Slot, string[]> {
    const added = new Map<Slot, string[]>();
    const known = new Set(slots.flatMap((s) => [...s.streams]));
    for (const name of streams) {
      if (known.has(name)) continue;
      known.add(name);
      let slot = slots.find((s) => s.streams.size < options.maxStreamsPerConnection);
      if (slot === undefined) slot = addSlot();
      slot.streams.add(name);
      const list = added.get(slot) ?? [];
      list.push(name);
      added.set(slot, list);
    }
    return added;
  }

  function sendControl(slot: Slot, method: 'SUBSCRIBE' | 'UNSUBSCRIBE', params: string[]): void {
    for (let i = 0; i < params.length; i += CONTROL_PARAMS_PER_MESSAGE) {
      slot.queue?.push(
        JSON.stringify({ method, params: params.slice(i, i + CONTROL_PARAMS_PER_MESSAGE), id: nextId++ }),
      );
    }
  }

  return {
    start: async function startWs() {
      if (started) return;
      started = true;
      stopping = false;
      place(options.streams);
      try {
        await Promise.all(slots.map((s) => open(s, false)));
      } catch (err) {
        await this.stop();
        throw err;
      }
    },
    stop: async function stopWs() {
      stopping = true;
      started = false;
      for (const slot of slots) {
        if (slot.reconnectTimer !== undefined) clearTimeout(slot.reconnectTimer);
        slot.reconnectTimer = undefined;
        slot.queue?.clear();
      }
      const closing = [...sockets].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            const force = setTimeout(() => ws.terminate(), 1000);
            ws.once('close', () => {
              clearTimeout(force);
              resolve();
            });
            if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
            else ws.close(1000, 'client stopping');
          }),
      );
      await Promise.all(closing);
    },
    subscribe: async function subscribeWs(streams) {
      const added = place(streams);
      for (const [slot, names] of added) {
        if (slot.current?.readyState === WebSocket.OPEN) sendControl(slot, 'SUBSCRIBE', names);
        else if (started && slot.current === undefined && slot.reconnectTimer === undefined)
          await open(slot, false);
      }
    },
    unsubscribe: async function unsubscribeWs(streams) {
      for (const slot of slots) {
        const names = streams.filter((n) => slot.streams.delete(n));
        if (names.length > 0 && slot.current?.readyState === WebSocket.OPEN)
          sendControl(slot, 'UNSUBSCRIBE', names);
      }
    },
    streams: () => slots.map((s) => [...s.streams]),
    stats: () => ({ ...stats }),
  };
}
