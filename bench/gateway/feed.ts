/**
 * What the gateway bench feeds: paced Binance trade frames into the pipeline's raw ingest (each
 * trade stamped with its send time), and the baseline measured in the same run, a bare relay of
 * the same pacing: one ZeroMQ PUB→SUB hop in this process, then a plain `ws` broadcast of the
 * same bytes to the same kind of clients — the transport the live path cannot beat.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Publisher, Subscriber } from 'zeromq';
import type { BinanceIngest } from '../../pipeline/venues/binance/index.ts';

/** ms on the shared monotonic clock (see clients.ts). */
export function clock(): { base: bigint; nowMs: () => number } {
  const base = process.hrtime.bigint();
  return { base, nowMs: () => Number(process.hrtime.bigint() - base) / 1e6 };
}

/** Trades of one paced phase: indices from..to-1 with their send times. */
export interface Phase {
  readonly from: number;
  readonly to: number;
  readonly sendMs: number[];
}

/**
 * Calls `send(n)` on a ~1 ms timer with the number of trades due at `rate` per second, for
 * `seconds`; `send` stamps and sends them. A timer (not a spinning loop) so the pacer does not
 * take a core from the process it measures; when the loop is late the next tick sends the backlog.
 */
export function pace(rate: number, seconds: number, send: (n: number) => void): Promise<void> {
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
      if (due > sent) {
        send(due - sent);
        sent = due;
      }
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
}

const encoder = new TextEncoder();

/** BTCUSDT trades as Binance's combined stream sends them, quantity 1 each, consecutive ids. */
export function createTradeSource(ingest: BinanceIngest, nowMs: () => number) {
  let g = 0;
  let lastT = 0;
  /** Bar open time (s) → index of the first trade of that minute. */
  const firstG = new Map<number, number>();
  return {
    get next() {
      return g;
    },
    firstG,
    /** Sends `n` trades now, stamping each (into `phase.sendMs`) just before the ingest takes it. */
    send(n: number, sendMs: number[]): void {
      for (let i = 0; i < n; i++, g++) {
        const t = Math.max(lastT, Date.now());
        lastT = t;
        const minute = Math.floor(t / 60_000) * 60;
        if (!firstG.has(minute)) firstG.set(minute, g);
        const price = (60_000 + (g % 200) / 10).toFixed(2);
        const json = `{"stream":"btcusdt@trade","data":{"e":"trade","E":${t + 1},"s":"BTCUSDT","t":${1_000_000 + g},"p":"${price}","q":"1","T":${t},"m":${g % 2 === 0},"M":true}}`;
        sendMs.push(nowMs());
        ingest.push({ data: encoder.encode(json), receivedAtUs: t * 1000 });
      }
    },
  };
}

/** The baseline: ZeroMQ PUB → SUB in this process → `ws` broadcast, no pipeline, no gateway. */
export async function startRawRelay(): Promise<{
  url: string;
  /** Publishes `{"g":n}`: trade n and those before it were sent. */
  publish(g: number): void;
  /** Resolves once a probe sent through the relay reaches the SUB socket (slow-joiner). */
  joined(): Promise<void>;
  close(): Promise<void>;
}> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const pub = new Publisher({ sendHighWaterMark: 100_000 });
  await pub.bind('tcp://127.0.0.1:*');
  const sub = new Subscriber();
  sub.connect(pub.lastEndpoint ?? '');
  sub.subscribe();
  let probed: (() => void) | undefined;
  const loop = (async () => {
    for await (const [frame] of sub) {
      if (frame === undefined) continue;
      if (frame.length === 5 && frame.toString() === 'probe') {
        probed?.();
        continue;
      }
      for (const client of wss.clients) client.send(frame, { binary: false });
    }
  })();
  // One send at a time on a zeromq.js socket: queue and drain, as the product's publisher does.
  const queue: Buffer[] = [];
  let draining = false;
  const drain = async (): Promise<void> => {
    while (queue.length > 0) await pub.send(queue.shift()!);
    draining = false;
  };
  const send = (b: Buffer): void => {
    queue.push(b);
    if (!draining) {
      draining = true;
      void drain();
    }
  };
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    publish: (g) => send(Buffer.from(`{"g":${g}}`)),
    async joined() {
      const got = new Promise<void>((resolve) => {
        probed = resolve;
      });
      const timer = setInterval(() => send(Buffer.from('probe')), 20);
      await got;
      clearInterval(timer);
    },
    async close() {
      sub.close();
      await loop.catch(() => {});
      pub.close();
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
