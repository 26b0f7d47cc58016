/**
 * Binance stream names (`btcusdt@kline_1m`, `!ticker@arr`) and the raw topics they go to.
 * Shared by the websocket client (what to subscribe), ingest (where a frame goes) and the
 * normalizer (which handler reads it).
 */
import { rawTopicName, TOPIC_NAMES } from '../../bus/topic-names.ts';

/**
 * What a frame carries. `depth` and `depthSnapshot` are kept raw but not normalized yet;
 * `unknown` is anything else (routed to `raw.<venue>.unknown`, dead-lettered by the normalizer).
 */
export type BinanceChannel =
  | 'trade'
  | 'aggTrade'
  | 'kline'
  | 'bookTicker'
  | 'ticker'
  | 'depth'
  | 'depthSnapshot'
  | 'unknown';

/**
 * Topic suffix of each channel: `raw.<venue lowercased>.<suffix>`, as declared in
 * deploy/topics.yaml (`raw.{venue}.{stream}`, stream in trade, aggTrade, kline, bookTicker,
 * ticker). `depth` and `unknown` hold what is kept raw but not normalized, and what could not be
 * routed (dead-lettered by the normalizer with a reason).
 */
export const CHANNEL_TOPIC_SUFFIX: Readonly<Record<BinanceChannel, string>> = {
  trade: 'trade',
  aggTrade: 'aggTrade',
  kline: 'kline',
  bookTicker: 'bookTicker',
  ticker: 'ticker',
  depth: 'depth',
  depthSnapshot: 'depth',
  unknown: 'unknown',
};

/** Stream type of a REST depth snapshot line found in recordings (`{"lastUpdateId":...}`). */
export const DEPTH_SNAPSHOT_STREAM = 'depthSnapshot';

/** A parsed stream name. */
export interface StreamName {
  /** Venue symbol upper-cased (`BTCUSDT`), or '' for all-market streams (`!ticker@arr`). */
  readonly symbol: string;
  /** The stream without the symbol: `trade`, `kline_1m`, `depth@100ms`, `!ticker@arr`. */
  readonly stream: string;
  readonly channel: BinanceChannel;
}

/** Channel of the part before the first `@`/`_` of a stream type. */
const CHANNEL_OF_TYPE: Readonly<Record<string, BinanceChannel>> = {
  trade: 'trade',
  aggTrade: 'aggTrade',
  kline: 'kline',
  bookTicker: 'bookTicker',
  ticker: 'ticker',
  depth: 'depth',
  depth5: 'depth',
  depth10: 'depth',
  depth20: 'depth',
  '!ticker': 'ticker',
  '!bookTicker': 'bookTicker',
  [DEPTH_SNAPSHOT_STREAM]: 'depthSnapshot',
};

/** Channel of a stream type (`kline_1m` -> kline, `depth@100ms` -> depth, `markPrice` -> unknown). */
export function channelOf(stream: string): BinanceChannel {
  let end = stream.length;
  const at = stream.indexOf('@');
  if (at >= 0) end = at;
  const us = stream.indexOf('_');
  if (us >= 0 && us < end) end = us;
  return CHANNEL_OF_TYPE[stream.slice(0, end)] ?? 'unknown';
}

/**
 * Splits a combined-stream name. `upper` caches symbol upper-casing (a Map owned by the caller).
 * @example parseStreamName('btcusdt@kline_1m') // { symbol: 'BTCUSDT', stream: 'kline_1m', channel: 'kline' }
 */
export function parseStreamName(name: string, upper?: Map<string, string>): StreamName {
  if (name.startsWith('!')) return { symbol: '', stream: name, channel: channelOf(name) };
  const at = name.indexOf('@');
  if (at <= 0) return { symbol: '', stream: name, channel: 'unknown' };
  const lower = name.slice(0, at);
  let symbol = upper?.get(lower);
  if (symbol === undefined) {
    symbol = lower.toUpperCase();
    upper?.set(lower, symbol);
  }
  const stream = name.slice(at + 1);
  return { symbol, stream, channel: channelOf(stream) };
}

/** The combined-stream name of a symbol's stream: `streamName('BTCUSDT', 'trade')` -> `btcusdt@trade`. */
export function streamName(symbol: string, stream: string): string {
  return `${symbol.toLowerCase()}@${stream}`;
}

/** The raw topic of a channel: `rawTopic('BINANCE_USDM', 'bookTicker')` -> `raw.binance_usdm.bookTicker`. */
export function rawTopic(venue: string, channel: BinanceChannel): string {
  return rawTopicName(venue, CHANNEL_TOPIC_SUFFIX[channel]);
}

/** Every raw topic of a venue (what the normalizer consumes, what topics.yaml declares). */
export function rawTopics(venue: string): string[] {
  return [...new Set(Object.values(CHANNEL_TOPIC_SUFFIX))].map((s) => rawTopicName(venue, s));
}

/** Normalized topics (keys `VENUE:SYMBOL`). */
export const NORM_TOPICS = {
  trade: TOPIC_NAMES.normTrade,
  kline: TOPIC_NAMES.normKline,
  ticker: TOPIC_NAMES.normTicker,
  bookTop: TOPIC_NAMES.normBookTop,
} as const;
