/**
 * The Binance venue adapter: the only import other components use.
 *
 * `createBinanceVenue(deps, config)` wires the websocket client to the raw ingest (frames ->
 * `raw.<venue>.<channel>` on the bus it was handed) and exposes the REST market API and the
 * symbol list. `createBinanceNormalizer` is the processor that turns those raw topics into
 * norm.trade / norm.kline / norm.ticker / norm.book_top.
 *
 * @example
 * const venue = createBinanceVenue({ bus, logger }, { market: 'spot', symbols: ['BTCUSDT'], streams: ['trade'] });
 * await venue.start(); // rejects with BinanceNetworkError when Binance cannot be reached
 * const normalizer = createBinanceNormalizer({ bus, logger }, { venues: [venue.id] });
 * await normalizer.start();
 */
import type { Logger } from '../../../core/logger.ts';
import type { SymbolInfoInit } from '../../../proto/index.ts';
import type { Bus } from '../../bus/types.ts';
import type { RawFrame, Venue } from '../types.ts';
import {
  type BinanceConfig,
  type BinanceConfigInput,
  binanceConfigSchema,
  resolveEndpoints,
} from './config.ts';
import { type BinanceHttpClient, createBinanceHttpClient } from './http/client.ts';
import { type BinanceMarketApi, createBinanceMarketApi } from './http/market.ts';
import { type BinanceIngestStats, createBinanceIngest } from './ingest.ts';
import { streamName } from './streams.ts';
import { toSymbolInfos } from './symbols.ts';
import { type BinanceWsStats, createBinanceWsClient } from './ws/client.ts';

export type { BinanceConfig, BinanceConfigInput, BinanceMarket } from './config.ts';
export {
  BINANCE_MARKETS,
  binanceConfigSchema,
  KLINE_INTERVALS,
  MARKET_DEFAULTS,
  parseBinanceConfig,
  resolveEndpoints,
  VENUE_IDS,
} from './config.ts';
export * from './errors.ts';
export type { BinanceHttpClient, BinanceHttpClientOptions, QueryParams } from './http/client.ts';
export { createBinanceHttpClient } from './http/client.ts';
export type { BinanceMarketApi } from './http/market.ts';
export { createBinanceMarketApi, PAGE_LIMITS } from './http/market.ts';
export type { BinanceIngest, BinanceIngestOptions, BinanceIngestStats, FrameInfo } from './ingest.ts';
export { createBinanceIngest, scanFrame, toRawRecord } from './ingest.ts';
export { createBinanceMarketApis } from './market-apis.ts';
export type { FrameNormalizer, FrameOutcome } from './normalize/frame.ts';
export { CHANNEL_HANDLERS, createFrameNormalizer } from './normalize/frame.ts';
export type { RestNormalizeOptions, RestNormalizeResult } from './normalize/rest.ts';
export { restAggTradesToRecords, restKlinesToRecords, restTradesToRecords } from './normalize/rest.ts';
export type { BinanceNormalizer, BinanceNormalizerOptions, BinanceNormalizerStats } from './normalizer.ts';
export { createBinanceNormalizer, NORMALIZER_SOURCE } from './normalizer.ts';
export type { ExchangeInfo, RestAggTrade, RestKline, RestTrade } from './schemas/rest.ts';
export type { BinanceChannel, StreamName } from './streams.ts';
export { NORM_TOPICS, parseStreamName, rawTopic, rawTopics, streamName } from './streams.ts';
export { toSymbolInfo, toSymbolInfos } from './symbols.ts';
export type { BinanceWsClient, BinanceWsClientOptions, BinanceWsStats } from './ws/client.ts';
export { createBinanceWsClient } from './ws/client.ts';

/** What the adapter is handed. Only `bus` is required. */
export interface BinanceVenueDeps {
  readonly bus: Bus;
  readonly logger?: Logger;
  /** REST transport (default: global fetch). */
  readonly fetch?: typeof globalThis.fetch;
  /** Local time in epoch µs, stamped on frames as receive time. */
  readonly nowUs?: () => number;
  readonly random?: () => number;
}

/** A running Binance venue. */
export interface BinanceVenue extends Venue {
  readonly config: BinanceConfig;
  /** REST market endpoints of this market (exchangeInfo, klines, aggTrades, ... and backfill pagination). */
  readonly market: BinanceMarketApi;
  readonly http: BinanceHttpClient;
  /** The subscribed combined-stream names, e.g. `btcusdt@trade`. */
  readonly streams: readonly string[];
  /** SymbolInfo of the configured symbols, from exchangeInfo. */
  symbols(): Promise<SymbolInfoInit[]>;
  /** Feeds a frame from elsewhere (e.g. a recording) through the same ingest. */
  ingest(frame: RawFrame): void;
  stats(): { readonly ws: Readonly<BinanceWsStats>; readonly ingest: Readonly<BinanceIngestStats> };
}

/**
 * Builds the adapter; nothing connects until `start`. The config is validated here (a bad
 * key fails now, naming its path), not per call.
 */
export function createBinanceVenue(
  deps: BinanceVenueDeps,
  config: BinanceConfigInput | BinanceConfig,
): BinanceVenue {
  const parsed: BinanceConfig = Object.freeze(binanceConfigSchema.parse(config));
  const ep = resolveEndpoints(parsed);
  const http = createBinanceHttpClient(
    { ...(deps.fetch ? { fetch: deps.fetch } : {}), ...(deps.logger ? { logger: deps.logger } : {}) },
    {
      baseUrl: ep.restBaseUrl,
      timeoutMs: parsed.rest.timeoutMs,
      maxRetries: parsed.rest.maxRetries,
      maxWaitMs: parsed.rest.maxWaitMs,
      weightLimitPerMinute: ep.weightLimitPerMinute,
    },
  );
  const market = createBinanceMarketApi(http, parsed.market);
  const ingest = createBinanceIngest(
    { bus: deps.bus, ...(deps.logger ? { logger: deps.logger } : {}) },
    { venue: ep.venue, batchSize: parsed.ingest.batchSize, lingerMs: parsed.ingest.lingerMs },
  );
  const streams = [
    ...parsed.symbols.flatMap((symbol) => parsed.streams.map((s) => streamName(symbol, s))),
    ...parsed.globalStreams,
  ];
  const ws = createBinanceWsClient(
    {
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.nowUs ? { nowUs: deps.nowUs } : {}),
      ...(deps.random ? { random: deps.random } : {}),
    },
    {
      baseUrl: ep.wsBaseUrl,
      streams,
      maxStreamsPerConnection: ep.maxStreamsPerConnection,
      maxIncomingMessagesPerSecond: ep.maxIncomingMessagesPerSecond,
      pingIntervalMs: parsed.ws.pingIntervalMs,
      deadAfterMs: parsed.ws.deadAfterMs,
      maxConnectionAgeMs: parsed.ws.maxConnectionAgeMs,
      reconnect: parsed.ws.reconnect,
      onFrame: (frame) => ingest.push(frame),
    },
  );

  return {
    id: ep.venue,
    config: parsed,
    market,
    http,
    streams,
    start: async function startBinanceVenue() {
      deps.logger?.info(
        { venue: ep.venue, url: ep.wsBaseUrl, streams: streams.length },
        'connecting to Binance',
      );
      await ws.start();
    },
    stop: async function stopBinanceVenue() {
      await ws.stop();
      await ingest.flush();
    },
    symbols: async () => toSymbolInfos(parsed.market, await market.exchangeInfo(), parsed.symbols),
    ingest: (frame) => ingest.push(frame),
    stats: () => ({ ws: ws.stats(), ingest: ingest.stats() }),
  };
}
