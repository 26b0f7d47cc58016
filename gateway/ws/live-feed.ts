/**
 * The live market data the WebSocket hub relays: a `LiveFeed` it subscribes to per topic
 * (stream, exchange, symbol, period for bars), and `createLiveRouter()`, a feed fed with the
 * ZeroMQ subscriber's decoded events (`router.publish(event)`), converting an event to its
 * protocol message only when someone listens to its topic.
 */
import type { LiveEvent } from '../../pipeline/realtime/index.ts';
import type { BarMessage, LiveStream, QuoteMessage, TradeMessage } from './protocol.ts';

/** One live series a client can follow. `period` only for bars. */
export interface LiveTopic {
  readonly stream: LiveStream;
  readonly exchange: string;
  readonly symbol: string;
  readonly period?: string;
}

export type LiveMessage = BarMessage | TradeMessage | QuoteMessage;
export type LiveListener = (message: LiveMessage) => void;

/** Where the hub gets live messages; `subscribe` returns the unsubscribe function. */
export interface LiveFeed {
  subscribe(topic: LiveTopic, listener: LiveListener): () => void;
}

/** A LiveFeed the ZeroMQ subscriber's events are pushed into. */
export interface LiveRouter extends LiveFeed {
  /** Routes one decoded feed event to the listeners of its topic (none: nothing is built). */
  publish(event: LiveEvent): void;
}

/** The map key of a topic: `bars|BINANCE|BTCUSDT|1m`, `trades|BINANCE|BTCUSDT|`. */
export function liveKey(stream: LiveStream, exchange: string, symbol: string, period?: string): string {
  return `${stream}|${exchange}|${symbol}|${stream === 'bars' ? (period ?? '') : ''}`;
}

/** A decoded feed event as the protocol's message (prices as numbers, bar time in epoch seconds). */
export function toLiveMessage(event: LiveEvent): LiveMessage {
  switch (event.kind) {
    case 'trade':
      return {
        type: 'trade',
        exchange: event.venue,
        symbol: event.symbol,
        timeUs: event.timeUs,
        price: Number(event.price),
        qty: Number(event.qty),
        side: event.side,
        seq: event.seq,
      };
    case 'bar':
      return {
        type: 'bar',
        exchange: event.venue,
        symbol: event.symbol,
        period: event.period,
        time: Math.floor(event.openTimeUs / 1_000_000),
        open: Number(event.open),
        high: Number(event.high),
        low: Number(event.low),
        close: Number(event.close),
        volume: Number(event.volume),
        final: event.final,
      };
    case 'quote':
      return {
        type: 'quote',
        exchange: event.venue,
        symbol: event.symbol,
        timeUs: event.timeUs,
        ...(event.bid === undefined ? {} : { bid: Number(event.bid) }),
        ...(event.ask === undefined ? {} : { ask: Number(event.ask) }),
        ...(event.last === undefined ? {} : { last: Number(event.last) }),
      };
  }
}

const STREAM_OF = { trade: 'trades', bar: 'bars', quote: 'quotes' } as const;

export interface LiveRouterOptions {
  /**
   * Called when a topic gets its first listener; the function it returns when the last one
   * leaves (app/: follows that series' trades on the ZeroMQ feed only while someone listens).
   */
  readonly watch?: (topic: LiveTopic) => () => void;
}

export function createLiveRouter(options: LiveRouterOptions = {}): LiveRouter {
  const listeners = new Map<string, { readonly set: Set<LiveListener>; readonly unwatch: () => void }>();
  return {
    subscribe(topic, listener) {
      const key = liveKey(topic.stream, topic.exchange, topic.symbol, topic.period);
      let entry = listeners.get(key);
      if (entry === undefined) {
        entry = { set: new Set(), unwatch: options.watch?.(topic) ?? (() => undefined) };
        listeners.set(key, entry);
      }
      const mine = entry;
      mine.set.add(listener);
      return () => {
        mine.set.delete(listener);
        if (mine.set.size === 0 && listeners.get(key) === mine) {
          listeners.delete(key);
          mine.unwatch();
        }
      };
    },
    publish(event) {
      const entry = listeners.get(
        liveKey(
          STREAM_OF[event.kind],
          event.venue,
          event.symbol,
          event.kind === 'bar' ? event.period : undefined,
        ),
      );
      if (entry === undefined) return;
      const message = toLiveMessage(event);
      for (const listener of entry.set) listener(message);
    },
  };
}
