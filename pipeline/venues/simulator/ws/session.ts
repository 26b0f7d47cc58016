import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { WebSocket } from 'ws';
import { type RecordedMessage, type ReplaySpeed, replay, streamPayload } from '../../replay/index.ts';
import type { SimulatorFaults } from '../config.ts';
import { createFaultSender } from './fault-sender.ts';
import { applyStreamRequest, parseStreamRequest } from './requests.ts';

/** What a stream session replays, and where in the recording a new one starts. */
export interface StreamSessionOptions {
  readonly messages: readonly RecordedMessage[];
  /** Combined (`/stream`: `{"stream","data"}` frames) or raw (`/ws`: the data object only). */
  readonly combined: boolean;
  readonly streams: readonly string[];
  readonly speed: ReplaySpeed;
  readonly loop: boolean;
  readonly faults: SimulatorFaults;
  /** Incoming messages per second before the connection is closed (Binance: 5). */
  readonly maxIncomingPerSecond: number;
  /** Index of the recording where this session starts. */
  readonly startIndex: () => number;
  /** Called with the index of the next message after each one is passed. */
  readonly onProgress: (next: number) => void;
}

const YIELD_EVERY_MASK = 255;

/** Above this many buffered bytes the sender waits for the socket to drain (max speed). */
const HIGH_WATER = 4 << 20;

/**
 * One client connection: keeps its subscription set (URL streams plus live
 * SUBSCRIBE/UNSUBSCRIBE), and from its first subscription replays the recording at the
 * configured pace, sending the frames of subscribed streams, byte-exact, through the
 * fault sender. Returns a function that stops it.
 */
export function runStreamSession(socket: WebSocket, options: StreamSessionOptions): () => void {
  const subs = new Set(options.streams);
  const abort = new AbortController();
  let pumping = false;

  const sender = createFaultSender(
    {
      send: (frame) =>
        new Promise<void>((resolve) => {
          if (socket.readyState !== socket.OPEN) return resolve();
          // Resolve at once unless the socket is backed up; then wait for this frame to flush.
          if (socket.bufferedAmount < HIGH_WATER) {
            socket.send(frame, { binary: false });
            resolve();
          } else {
            socket.send(frame, { binary: false }, () => resolve());
          }
        }),
      drop: () => {
        abort.abort();
        socket.terminate();
      },
    },
    options.faults,
  );

  async function* fromIndex(start: number): AsyncGenerator<RecordedMessage> {
    for (let i = start; i < options.messages.length; i++) {
      // At max speed nothing else would wait on a timer: give socket I/O (client requests,
      // other sessions) its turn every few hundred messages.
      if ((i & YIELD_EVERY_MASK) === 0) await setImmediatePromise();
      options.onProgress(i + 1);
      yield options.messages[i]!;
    }
  }

  const pump = async (): Promise<void> => {
    let start = options.startIndex();
    for (;;) {
      for await (const m of replay(fromIndex(start), { speed: options.speed, signal: abort.signal })) {
        if (abort.signal.aborted || socket.readyState !== socket.OPEN) return;
        if (m.stream !== null && subs.has(m.stream)) {
          await sender.send(options.combined ? m.bytes : streamPayload(m));
        }
      }
      if (!options.loop || abort.signal.aborted) break;
      start = 0;
    }
    if (!abort.signal.aborted) await sender.flush();
  };

  const startPump = (): void => {
    if (pumping || subs.size === 0) return;
    pumping = true;
    pump().catch((err: unknown) => {
      if (!abort.signal.aborted) socket.close(1011, String(err).slice(0, 100));
    });
  };

  // Binance counts requests, pings and pongs from the client and disconnects past the limit.
  const incoming: number[] = [];
  const overLimit = (): boolean => {
    const t = performance.now();
    incoming.push(t);
    while (incoming.length > 0 && incoming[0]! <= t - 1000) incoming.shift();
    if (incoming.length <= options.maxIncomingPerSecond) return false;
    abort.abort();
    socket.close(1008, 'Too many requests');
    return true;
  };
  socket.on('ping', overLimit);
  socket.on('pong', overLimit);
  socket.on('message', (data, isBinary) => {
    if (overLimit() || isBinary) return;
    const parsed = parseStreamRequest(data.toString());
    if (!parsed.ok) {
      socket.send(parsed.reply);
      return;
    }
    socket.send(applyStreamRequest(subs, parsed.request));
    startPump();
  });
  socket.on('close', () => abort.abort());
  startPump();
  return () => abort.abort();
}
