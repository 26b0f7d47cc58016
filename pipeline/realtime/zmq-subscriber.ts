import { Subscriber } from 'zeromq';
import type { Logger } from '../../core/logger.ts';
import {
  BarCodec,
  BookTopCodec,
  type Envelope,
  EnvelopeCodec,
  EventType,
  Side,
  TickerCodec,
  TradeCodec,
} from '../../proto/index.ts';

/** A trade of the live feed. Prices and sizes are the exact decimal strings of the envelope. */
export interface LiveTradeEvent {
  readonly kind: 'trade';
  readonly venue: string;
  readonly symbol: string;
  /** Trade time, epoch microseconds. */
  readonly timeUs: number;
  readonly price: string;
  readonly qty: string;
  /** The aggressor's side (`buy` when the side is unknown). */
  readonly side: 'buy' | 'sell';
  /** The envelope's per-series sequence number. */
  readonly seq: number;
}

/** A forming or final bar of the live feed (the shape the gateway's live-bar cache takes). */
export interface LiveBarEvent {
  readonly kind: 'bar';
  readonly venue: string;
  readonly symbol: string;
  readonly period: string;
  readonly openTimeUs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly revision: number;
  readonly final: boolean;
}

/** Best bid/ask (from a book top) or last price (from a ticker, with its bid/ask when given). */
export interface LiveQuoteEvent {
  readonly kind: 'quote';
  readonly venue: string;
  readonly symbol: string;
  readonly timeUs: number;
  readonly bid?: string;
  readonly ask?: string;
  readonly last?: string;
}

export type LiveEvent = LiveTradeEvent | LiveBarEvent | LiveQuoteEvent;

export interface ZmqSubscriberConfig {
  /** The publisher's endpoint, e.g. `tcp://127.0.0.1:5556`. */
  readonly endpoint: string;
  /** Topic prefixes to receive (`trade.`, `bar.1m.`, `book.BINANCE.`…); empty: everything. */
  readonly prefixes: readonly string[];
}

export interface ZmqSubscriberDeps {
  readonly logger: Logger;
  /** Called once per received message, synchronously, in arrival order. Must not throw. */
  readonly onEvent: (event: LiveEvent) => void;
}

/** A running subscription to the live feed. */
export interface ZmqSubscriber {
  /**
   * Receives `prefix` too, until the returned function is called (counted: a prefix followed
   * twice stays until both let go). ZeroMQ filters at the publisher, so what nobody follows is
   * neither sent nor decoded here.
   */
  follow(prefix: string): () => void;
  /** Messages decoded and handed on, and messages that did not decode (counted, not fatal). */
  stats(): { received: number; undecodable: number };
  /** Stops receiving and closes the socket. */
  close(): Promise<void>;
}

/**
 * A quote of the envelope's series, dated `timeUs`, or the envelope's observed time when that is 0
 * (a venue that stamps no time on it); an empty price is left out. Built in place: one object.
 */
function quoteOf(env: Envelope, timeUs: number, bid: string, ask: string, last: string): LiveQuoteEvent {
  const quote: { -readonly [K in keyof LiveQuoteEvent]: LiveQuoteEvent[K] } = {
    kind: 'quote',
    venue: env.venue,
    symbol: env.symbol,
    timeUs: Number(timeUs) || Number(env.observedAtUs),
  };
  if (bid) quote.bid = bid;
  if (ask) quote.ask = ask;
  if (last) quote.last = last;
  return quote;
}

/** Decodes one feed message (the Envelope bytes) into a live event; undefined for other event types. */
export function toLiveEvent(payload: Uint8Array): LiveEvent | undefined {
  const env = EnvelopeCodec.decode(payload);
  switch (env.eventType) {
    case EventType.trade:
    case EventType.aggTrade: {
      const trade = TradeCodec.decode(env.payload);
      return {
        kind: 'trade',
        venue: env.venue,
        symbol: env.symbol,
        timeUs: Number(trade.timeUs),
        price: trade.price,
        qty: trade.quantity,
        side: trade.aggressor === Side.SIDE_SELL ? 'sell' : 'buy',
        seq: Number(env.seq),
      };
    }
    case EventType.bar: {
      const bar = BarCodec.decode(env.payload);
      return {
        kind: 'bar',
        venue: env.venue,
        symbol: env.symbol,
        period: bar.period,
        openTimeUs: Number(bar.openTimeUs),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        revision: bar.revision,
        final: bar.final,
      };
    }
    case EventType.bookTop: {
      const top = BookTopCodec.decode(env.payload);
      // A venue that stamps no time on its book top (Binance bookTicker) gives 0: see quoteOf.
      return quoteOf(env, top.timeUs, top.bidPrice, top.askPrice, '');
    }
    case EventType.ticker: {
      const ticker = TickerCodec.decode(env.payload);
      return quoteOf(env, ticker.closeTimeUs, ticker.bidPrice, ticker.askPrice, ticker.lastPrice);
    }
    default:
      return undefined;
  }
}

/** Longest the receive loop keeps the event loop while messages are queued, ms. */
const YIELD_AFTER_MS = 2;
/** Messages between two looks at the clock. */
const YIELD_CHECK_EVERY = 32;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Connects a ZeroMQ SUB socket to the live feed (see README: two frames, topic then Envelope)
 * and hands each message, decoded once, to `deps.onEvent`. ZeroMQ reconnects by itself; a
 * message that does not decode is counted and logged (every 1000th), never fatal.
 *
 * @example
 * const sub = createZmqSubscriber({ logger, onEvent: (e) => hub.publish(e) },
 *   { endpoint: 'tcp://127.0.0.1:5556', prefixes: ['trade.', 'bar.', 'book.', 'ticker.'] });
 * await sub.close();
 */
export function createZmqSubscriber(deps: ZmqSubscriberDeps, config: ZmqSubscriberConfig): ZmqSubscriber {
  const socket = new Subscriber();
  socket.connect(config.endpoint);
  if (config.prefixes.length === 0) socket.subscribe();
  for (const prefix of config.prefixes) socket.subscribe(prefix);
  let received = 0;
  let undecodable = 0;

  async function receiveLoop(): Promise<void> {
    // While messages are queued, zeromq.js resolves each receive at once: the loop would run on
    // microtasks alone and hold the event loop for as long as the backlog lasts (tens of ms at
    // 10k trades/s), stalling the pipeline stages and sockets that share it. Give the loop a turn
    // after every YIELD_AFTER_MS of work.
    let sliceStart = performance.now();
    let sinceCheck = 0;
    try {
      for await (const [topic, payload] of socket) {
        if (++sinceCheck >= YIELD_CHECK_EVERY) {
          sinceCheck = 0;
          const now = performance.now();
          if (now - sliceStart >= YIELD_AFTER_MS) {
            await yieldToEventLoop();
            sliceStart = performance.now();
          }
        }
        let event: LiveEvent | undefined;
        try {
          event = payload === undefined ? undefined : toLiveEvent(payload);
        } catch (error) {
          undecodable++;
          if (undecodable % 1000 === 1) {
            deps.logger.warn(
              { err: error, topic: topic?.toString(), undecodable },
              'realtime: undecodable feed message',
            );
          }
          continue;
        }
        if (event === undefined) continue;
        received++;
        deps.onEvent(event);
      }
    } catch (error) {
      if (!socket.closed) deps.logger.error({ err: error }, 'realtime: feed subscriber stopped');
    }
  }

  const loop = receiveLoop();
  deps.logger.info(
    { endpoint: config.endpoint, prefixes: config.prefixes },
    'realtime: ZeroMQ SUB connected',
  );
  const followed = new Map<string, number>();
  return {
    follow(prefix) {
      const n = followed.get(prefix) ?? 0;
      followed.set(prefix, n + 1);
      if (n === 0 && !socket.closed) socket.subscribe(prefix);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const left = (followed.get(prefix) ?? 1) - 1;
        if (left > 0) {
          followed.set(prefix, left);
          return;
        }
        followed.delete(prefix);
        if (!socket.closed) socket.unsubscribe(prefix);
      };
    },
    stats: () => ({ received, undecodable }),
    async close() {
      socket.close();
      await loop;
    },
  };
}
