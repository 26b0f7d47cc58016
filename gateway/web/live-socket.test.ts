import { describe, expect, it } from 'vitest';
import type { ClientMessage, ServerMessage } from '../ws/protocol.ts';
import { type ConnectionState, createLiveSocket, type SocketLike } from './live-socket.ts';
import { createBackoff } from './reconnect.ts';
import { subscriptionsFor } from './subscriptions.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientMessage[] = [];
  closedWith: number | undefined;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(code = 1000): void {
    this.closedWith = code;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: ServerMessage | string): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** A socket factory and a manual clock: timers fire only when the test says so. */
function harness() {
  const sockets: FakeSocket[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  const states: ConnectionState[] = [];
  const messages: ServerMessage[] = [];
  const live = createLiveSocket({
    url: 'ws://page/ws',
    connect: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    backoff: createBackoff({ initialMs: 100, maxMs: 1000, jitter: 0 }),
    setTimer: (fn, ms) => {
      timers.set(nextTimer, { fn, ms });
      return nextTimer++;
    },
    clearTimer: (handle) => timers.delete(handle as number),
    onMessage: (m) => messages.push(m),
    onState: (s) => states.push(s),
    pingMs: 1000,
  });
  /** Fires the pending timer that waits `ms`. */
  const fire = (ms: number): void => {
    const entry = [...timers].find(([, t]) => t.ms === ms);
    if (!entry) throw new Error(`no timer of ${ms} ms pending`);
    timers.delete(entry[0]);
    entry[1].fn();
  };
  return { live, sockets, timers, states, messages, fire, last: () => sockets[sockets.length - 1]! };
}

const btc = { exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' };

describe('createLiveSocket', () => {
  it('subscribes to what is wanted once open, and sends only the difference on a switch', () => {
    const h = harness();
    h.live.setSubscriptions(subscriptionsFor(btc));
    expect(h.last().sent).toEqual([]);
    h.last().open();
    expect(h.last().sent.map((m) => m.op)).toEqual(['subscribe', 'subscribe']);
    h.live.setSubscriptions(subscriptionsFor({ ...btc, period: '5m' }));
    expect(h.last().sent.slice(2)).toEqual([
      { op: 'unsubscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' },
      { op: 'subscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '5m' },
    ]);
  });

  it('reconnects with growing delays and resubscribes in full on the new connection', () => {
    const h = harness();
    h.live.setSubscriptions(subscriptionsFor(btc));
    h.last().open();
    h.last().drop();
    expect(h.states.at(-1)).toMatchObject({ kind: 'waiting', retryInMs: 100 });
    h.fire(100);
    h.last().drop();
    expect(h.states.at(-1)).toMatchObject({ kind: 'waiting', retryInMs: 200 });
    h.fire(200);
    expect(h.sockets).toHaveLength(3);
    h.last().open();
    expect(h.last().sent).toEqual([
      { op: 'subscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' },
      { op: 'subscribe', stream: 'quotes', exchange: 'BINANCE', symbol: 'BTCUSDT' },
    ]);
  });

  it('a hello resets the backoff', () => {
    const h = harness();
    h.last().drop();
    h.fire(100);
    h.last().open();
    h.last().receive({ type: 'hello', userId: 'u', workspaceId: 'w', chat: true });
    h.last().drop();
    expect(h.states.at(-1)).toMatchObject({ kind: 'waiting', retryInMs: 100 });
  });

  it('passes on known messages and drops frames that are not', () => {
    const h = harness();
    h.last().open();
    h.last().receive('not json');
    h.last().receive('{"type":"nonsense"}');
    h.last().receive({ type: 'pong' });
    expect(h.messages).toEqual([{ type: 'pong' }]);
  });

  it('drops a connection that stops answering pings and redials', () => {
    const h = harness();
    h.last().open();
    h.fire(1000);
    expect(h.last().sent).toEqual([{ op: 'ping' }]);
    h.fire(1000); // no frame since the ping
    expect(h.sockets[0]!.closedWith).toBe(4000);
    expect(h.states.at(-1)).toMatchObject({ kind: 'waiting', reason: 'no answer to ping' });
    h.fire(100);
    expect(h.sockets).toHaveLength(2);
  });

  it('keeps pinging a connection that answers', () => {
    const h = harness();
    h.last().open();
    h.fire(1000);
    h.last().receive({ type: 'pong' });
    h.fire(1000);
    expect(h.last().sent).toEqual([{ op: 'ping' }, { op: 'ping' }]);
    expect(h.last().closedWith).toBeUndefined();
  });

  it('stops after a refusal close code, and after close(); sending while down says false', () => {
    const h = harness();
    h.last().drop(4401, 'session expired');
    expect(h.states.at(-1)).toEqual({ kind: 'closed', code: 4401, reason: 'session expired' });
    expect(h.timers.size).toBe(0);
    expect(h.live.send({ op: 'chat', text: 'hi' })).toBe(false);

    const g = harness();
    g.last().open();
    g.live.close();
    g.last().drop(1000);
    expect(g.timers.size).toBe(0);
    expect(g.sockets).toHaveLength(1);
  });
});
