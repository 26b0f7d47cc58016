/**
 * What one WebSocket client is sent, and how a slow one is held back without holding anyone
 * else: live frames go out at once while the socket's `bufferedAmount` is under the soft limit.
 * Above it the client is *congested*: trades are dropped and counted, bars and quotes are
 * conflated (the latest frame per key kept; a bar's key includes its open time, so a final bar
 * is never replaced by the next one), and a timer looks at the buffer until it drains, then
 * sends `{type:'dropped', stream:'trades', count}` and the kept frames. A client congested for
 * longer than `maxStallMs` is closed with 1013 (try again later). Nothing here awaits a client:
 * the fan-out loop calls `live` for every client and moves on.
 */
import type { WebSocket } from 'ws';
import type { LiveStream } from './protocol.ts';

export interface BackpressureOptions {
  /** Bytes queued on a socket above which live frames are held back (default 1 MiB). */
  readonly softLimitBytes?: number;
  /** A client congested this long is closed with 1013 (default 30 s). */
  readonly maxStallMs?: number;
  /** How often a congested client's buffer is looked at (default 25 ms). */
  readonly checkIntervalMs?: number;
}

/** Send options of every frame: JSON text (a Buffer is still sent as a text frame). */
const TEXT = { binary: false } as const;

/** What happened to one live frame. */
export type LiveOutcome = 'sent' | 'held' | 'dropped';

export interface ClientSender {
  /** Offers a live frame; `conflateKey` names what a newer frame replaces (bars and quotes). */
  live(stream: LiveStream, conflateKey: string, frame: Buffer): LiveOutcome;
  /** Sends a control frame (hello, acks, workspace, chat) now, whatever the buffer holds. */
  control(frame: string | Buffer): void;
  /** Stops the drain timer (the connection closed). */
  dispose(): void;
}

export interface SenderHooks {
  /** A frame was skipped: a trade dropped, or a held bar/quote replaced by a newer one. */
  readonly onDropped: (stream: LiveStream) => void;
  /** Held frames (and the dropped notice) went out after the client caught up. */
  readonly onFlushed: (frames: number) => void;
  /** The client was closed for staying congested. */
  readonly onStalled: () => void;
}

export function createClientSender(
  ws: WebSocket,
  hooks: SenderHooks,
  options: BackpressureOptions = {},
): ClientSender {
  const softLimit = options.softLimitBytes ?? 1024 * 1024;
  const maxStallMs = options.maxStallMs ?? 30_000;
  const checkIntervalMs = options.checkIntervalMs ?? 25;
  const held = new Map<string, { readonly stream: LiveStream; frame: Buffer }>();
  let droppedTrades = 0;
  let congestedSince = 0;
  let timer: NodeJS.Timeout | undefined;

  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  function check(): void {
    if (ws.readyState !== ws.OPEN) {
      stopTimer();
      return;
    }
    if (ws.bufferedAmount <= softLimit) {
      stopTimer();
      congestedSince = 0;
      let frames = 0;
      if (droppedTrades > 0) {
        ws.send(JSON.stringify({ type: 'dropped', stream: 'trades', count: droppedTrades }));
        droppedTrades = 0;
        frames++;
      }
      for (const { frame } of held.values()) ws.send(frame, TEXT);
      frames += held.size;
      held.clear();
      hooks.onFlushed(frames);
      return;
    }
    if (performance.now() - congestedSince > maxStallMs) {
      stopTimer();
      held.clear();
      hooks.onStalled();
      ws.close(1013, 'too slow: the connection stayed congested; reconnect');
    }
  }

  return {
    live(stream, conflateKey, frame) {
      if (congestedSince === 0) {
        if (ws.bufferedAmount <= softLimit) {
          ws.send(frame, TEXT);
          return 'sent';
        }
        congestedSince = performance.now();
        timer = setInterval(check, checkIntervalMs);
      }
      if (stream === 'trades') {
        droppedTrades++;
        hooks.onDropped(stream);
        return 'dropped';
      }
      const kept = held.get(conflateKey);
      if (kept === undefined) {
        held.set(conflateKey, { stream, frame });
        return 'held';
      }
      kept.frame = frame;
      hooks.onDropped(stream);
      return 'dropped';
    },
    control(frame) {
      if (ws.readyState === ws.OPEN) ws.send(frame, TEXT);
    },
    dispose() {
      stopTimer();
      held.clear();
    },
  };
}
