/**
 * The page's one WebSocket to `/ws`: connects, keeps the wanted live subscriptions on the server
 * (resubscribing after every reconnect), reconnects with backoff, and notices a dead connection
 * by pinging. Plain: the socket factory and the timers are handed in, so it runs under node tests.
 */
import type { ClientMessage, ServerMessage } from '../ws/protocol.ts';
import type { Backoff } from './reconnect.ts';
import { parseServerMessage } from './server-messages.ts';
import { diffSubscriptions, type Subscription } from './subscriptions.ts';

/** What the page needs of a WebSocket (the browser's fits). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

const OPEN = 1;

/** Close codes after which retrying cannot help (the server refused this session). */
export const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([4401, 4403]);

export type ConnectionState =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'open' }
  | { readonly kind: 'waiting'; readonly retryInMs: number; readonly code: number; readonly reason: string }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string };

export interface LiveSocketOptions {
  readonly url: string;
  readonly connect: (url: string) => SocketLike;
  readonly backoff: Backoff;
  readonly setTimer: (fn: () => void, ms: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  readonly onMessage: (message: ServerMessage) => void;
  readonly onState: (state: ConnectionState) => void;
  /** Ping period, ms: a connection silent for a whole period after a ping is dropped and redialled (default 25 000). */
  readonly pingMs?: number;
}

export interface LiveSocket {
  /** Sends now when connected; false when not (chat cannot be queued for a connection that may never come). */
  send(message: ClientMessage): boolean;
  /** The live streams wanted from now on; sent as a diff now, and in full after each reconnect. */
  setSubscriptions(wanted: readonly Subscription[]): void;
  /** Closes for good. */
  close(): void;
}

export function createLiveSocket(options: LiveSocketOptions): LiveSocket {
  const { backoff, setTimer, clearTimer } = options;
  const pingMs = options.pingMs ?? 25_000;
  let socket: SocketLike | undefined;
  let wanted: readonly Subscription[] = [];
  /** What the server has on this connection. */
  let active: readonly Subscription[] = [];
  let retryTimer: unknown;
  let pingTimer: unknown;
  let heardSincePing = true;
  let stopped = false;

  const write = (message: ClientMessage): boolean => {
    if (socket === undefined || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  const syncSubscriptions = (): void => {
    for (const message of diffSubscriptions(active, wanted)) write(message);
    active = wanted;
  };

  const schedulePing = (): void => {
    pingTimer = setTimer(() => {
      if (!heardSincePing) {
        // Nothing came back for a whole period: the connection is dead even if the socket does not
        // know, and its close handshake could take minutes; drop it and redial now.
        const dead = socket;
        dead?.close(4000, 'no answer to ping');
        if (dead !== undefined) closed(dead, 4000, 'no answer to ping');
        return;
      }
      heardSincePing = false;
      write({ op: 'ping' });
      schedulePing();
    }, pingMs);
  };

  function dial(): void {
    options.onState({ kind: 'connecting', attempt: backoff.attempts + 1 });
    const s = options.connect(options.url);
    socket = s;
    s.onopen = () => {
      active = [];
      heardSincePing = true;
      options.onState({ kind: 'open' });
      syncSubscriptions();
      schedulePing();
    };
    s.onmessage = (event) => {
      heardSincePing = true;
      const message = parseServerMessage(event.data);
      if (message === undefined) return;
      // A hello proves the session works: the next failure starts from a short delay again.
      if (message.type === 'hello') backoff.reset();
      options.onMessage(message);
    };
    s.onerror = () => {}; // onclose follows and decides
    s.onclose = (event) => closed(s, event.code, event.reason);
  }

  /** `s` is gone: retry after the backoff delay, unless it was replaced, stopped or refused for good. */
  function closed(s: SocketLike, code: number, reason: string): void {
    if (socket !== s) return;
    socket = undefined;
    active = [];
    clearTimer(pingTimer);
    if (stopped) return;
    if (FINAL_CLOSE_CODES.has(code)) {
      options.onState({ kind: 'closed', code, reason });
      return;
    }
    const retryInMs = backoff.next();
    options.onState({ kind: 'waiting', retryInMs, code, reason });
    retryTimer = setTimer(dial, retryInMs);
  }

  dial();

  return {
    send: write,
    setSubscriptions(next) {
      wanted = next;
      if (socket?.readyState === OPEN) syncSubscriptions();
    },
    close() {
      stopped = true;
      clearTimer(retryTimer);
      clearTimer(pingTimer);
      socket?.close(1000, 'page closed');
      socket = undefined;
      options.onState({ kind: 'closed', code: 1000, reason: 'page closed' });
    },
  };
}
