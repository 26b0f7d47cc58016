/**
 * Realtime: the ZeroMQ live feed (trades, forming bars per period, book tops, tickers as
 * protobuf envelopes under documented topic prefixes) and the quote book that prices any
 * asset in any quote currency through a direct or cross pair.
 */
export {
  type AssetResolver,
  createRealtimeBridge,
  REALTIME_SOURCE_TOPICS,
  type RealtimeBridgeDeps,
} from './bridge.ts';
export { type RealtimeConfig, realtimeConfigSchema } from './config.ts';
export { QuoteBook, type QuoteResult } from './quotes/quote-book.ts';
export { createZmqPublisher, type ZmqPublisher } from './zmq-publisher.ts';
export {
  createZmqSubscriber,
  type LiveBarEvent,
  type LiveEvent,
  type LiveQuoteEvent,
  type LiveTradeEvent,
  toLiveEvent,
  type ZmqSubscriber,
  type ZmqSubscriberConfig,
  type ZmqSubscriberDeps,
} from './zmq-subscriber.ts';
export { ZMQ_TOPICS } from './zmq-topics.ts';
