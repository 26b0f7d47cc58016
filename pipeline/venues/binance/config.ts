/**
 * Configuration of the Binance adapter (`venues.binance[]` in config.yaml). Every base URL
 * is config, so tests and the venue simulator can stand in for Binance.
 */
import { z } from 'zod';

/** Which Binance market: spot, USDⓈ-M futures or COIN-M futures. */
export const BINANCE_MARKETS = ['spot', 'usdm', 'coinm'] as const;
export type BinanceMarket = (typeof BINANCE_MARKETS)[number];

/** Our venue id of each market (the `venue` of every envelope). */
export const VENUE_IDS: Readonly<Record<BinanceMarket, string>> = {
  spot: 'BINANCE',
  usdm: 'BINANCE_USDM',
  coinm: 'BINANCE_COINM',
};

/** Per-market defaults, from Binance's public documentation. */
export const MARKET_DEFAULTS: Readonly<
  Record<
    BinanceMarket,
    {
      readonly wsBaseUrl: string;
      readonly restBaseUrl: string;
      /** REST path prefix of the market endpoints. */
      readonly restPrefix: string;
      readonly maxStreamsPerConnection: number;
      readonly maxIncomingMessagesPerSecond: number;
      readonly weightLimitPerMinute: number;
    }
  >
> = {
  spot: {
    wsBaseUrl: 'wss://stream.binance.com:9443',
    restBaseUrl: 'https://api.binance.com',
    restPrefix: '/api/v3',
    maxStreamsPerConnection: 1024,
    maxIncomingMessagesPerSecond: 5,
    weightLimitPerMinute: 6000,
  },
  usdm: {
    wsBaseUrl: 'wss://fstream.binance.com',
    restBaseUrl: 'https://fapi.binance.com',
    restPrefix: '/fapi/v1',
    maxStreamsPerConnection: 1024,
    maxIncomingMessagesPerSecond: 10,
    weightLimitPerMinute: 2400,
  },
  coinm: {
    wsBaseUrl: 'wss://dstream.binance.com',
    restBaseUrl: 'https://dapi.binance.com',
    restPrefix: '/dapi/v1',
    maxStreamsPerConnection: 200,
    maxIncomingMessagesPerSecond: 10,
    weightLimitPerMinute: 2400,
  },
};

/** Kline intervals Binance serves (1s is spot only). */
export const KLINE_INTERVALS = [
  '1s',
  '1m',
  '3m',
  '5m',
  '15m',
  '30m',
  '1h',
  '2h',
  '4h',
  '6h',
  '8h',
  '12h',
  '1d',
  '3d',
  '1w',
  '1M',
] as const;

const streamPattern = new RegExp(
  `^(trade|aggTrade|bookTicker|ticker|depth(5|10|20)?(@(100|250|500|0)ms)?|kline_(${KLINE_INTERVALS.join('|')}))$`,
);

/**
 * A per-symbol stream type, as in `<symbol>@<stream>`: `trade`, `aggTrade`, `bookTicker`,
 * `ticker`, `kline_<interval>`, `depth[@100ms]`.
 */
export const streamTypeSchema = z
  .string()
  .regex(
    streamPattern,
    'expected one of trade, aggTrade, bookTicker, ticker, kline_<1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1M>, depth[5|10|20][@100ms|@250ms|@500ms|@0ms]',
  );

const urlSchema = z
  .string()
  .regex(/^(wss?|https?):\/\/[^\s/]+(\/[^\s]*)?$/, 'expected an absolute URL such as wss://host:port')
  .transform((u) => u.replace(/\/+$/, ''));

/** Reconnect policy of the websocket client. */
export const reconnectSchema = z
  .object({
    /** First delay after a drop, milliseconds; doubles per failed attempt. */
    initialDelayMs: z.number().int().min(0).default(500),
    /** Ceiling of the backoff, milliseconds. */
    maxDelayMs: z.number().int().positive().default(30_000),
    /** Fraction of the delay randomised away (0 = none, 1 = full jitter). */
    jitter: z.number().min(0).max(1).default(0.5),
  })
  .strict();

/** The `venues.binance[]` entry: one market with its symbols and streams. */
export const binanceConfigSchema = z
  .object({
    /** spot (BINANCE), usdm (BINANCE_USDM) or coinm (BINANCE_COINM). */
    market: z.enum(BINANCE_MARKETS).default('spot'),
    /** Venue symbols, e.g. BTCUSDT or BTCUSD_PERP; lower case is accepted and upper-cased. */
    symbols: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9_]{2,40}$/, 'expected a Binance symbol such as BTCUSDT')
          .transform((s) => s.toUpperCase()),
      )
      .min(1, 'expected at least one symbol'),
    /**
     * Per-symbol streams to subscribe. `trade` and `aggTrade` are two views of the same
     * executions with their own id spaces: a series is sequenced and stored from one of them.
     */
    streams: z
      .array(streamTypeSchema)
      .min(1)
      .default(['trade', 'bookTicker'])
      .refine((streams) => !(streams.includes('trade') && streams.includes('aggTrade')), {
        message:
          'choose trade or aggTrade, not both: they are the same executions in two id spaces, and a stored series holds one',
      }),
    /** Extra all-market streams, e.g. `!ticker@arr`, `!bookTicker`. */
    globalStreams: z.array(z.enum(['!ticker@arr', '!bookTicker'])).default([]),
    /** Websocket base URL (without /stream); defaults to the market's public endpoint. */
    wsBaseUrl: urlSchema.optional(),
    /** REST base URL (without the /api/v3 prefix); defaults to the market's public endpoint. */
    restBaseUrl: urlSchema.optional(),
    ws: z
      .object({
        /** Streams per connection; more streams open more connections. */
        maxStreamsPerConnection: z.number().int().positive().max(1024).optional(),
        /** Messages per second we may send (SUBSCRIBE etc.); Binance disconnects above it. */
        maxIncomingMessagesPerSecond: z.number().positive().max(10).optional(),
        /** Send our own ping when nothing was received for this long, milliseconds. */
        pingIntervalMs: z.number().int().positive().default(30_000),
        /** Declare the socket dead when nothing (not even a pong) arrived for this long, milliseconds. */
        deadAfterMs: z.number().int().positive().default(60_000),
        /** Binance closes every connection at 24 h; reconnect proactively before, milliseconds. */
        maxConnectionAgeMs: z
          .number()
          .int()
          .positive()
          .default(23 * 3600_000 + 30 * 60_000),
        reconnect: reconnectSchema.default(() => reconnectSchema.parse({})),
      })
      .strict()
      .default(() => ({
        pingIntervalMs: 30_000,
        deadAfterMs: 60_000,
        maxConnectionAgeMs: 23 * 3600_000 + 30 * 60_000,
        reconnect: reconnectSchema.parse({}),
      })),
    rest: z
      .object({
        /** Per-request timeout, milliseconds. */
        timeoutMs: z.number().int().positive().default(10_000),
        /** Retries of a retriable failure (5xx, network, 429/418 within maxWaitMs). */
        maxRetries: z.number().int().min(0).default(5),
        /** Longest Retry-After / ban we wait out before failing, milliseconds. */
        maxWaitMs: z.number().int().min(0).default(120_000),
        /** Request weight per minute; defaults to the market's documented limit. */
        weightLimitPerMinute: z.number().int().positive().optional(),
      })
      .strict()
      .default(() => ({ timeoutMs: 10_000, maxRetries: 5, maxWaitMs: 120_000 })),
    ingest: z
      .object({
        /** Records per produce call. */
        batchSize: z.number().int().positive().default(500),
        // Every live tick can wait this out: at 10k trades/s (`npm run bench -- gateway`) 5 ms
        // gives trade → forming bar at a WebSocket client p50 ~6 ms (20 ms gave ~20 ms) for ~15
        // points more of a core than 20; 2 ms gains ~1 ms for ~15 points more. A burst fills
        // batches by size; replay sets its own (2000 / 20 ms).
        /** Longest a record waits for its batch to fill, milliseconds. */
        lingerMs: z.number().int().min(0).default(5),
      })
      .strict()
      .default(() => ({ batchSize: 500, lingerMs: 5 })),
  })
  .strict();

export type BinanceConfigInput = z.input<typeof binanceConfigSchema>;
export type BinanceConfig = Readonly<z.output<typeof binanceConfigSchema>>;

/** Parses and freezes a Binance config; throws a zod error naming the key path. */
export function parseBinanceConfig(input: unknown): BinanceConfig {
  return Object.freeze(binanceConfigSchema.parse(input));
}

/** The base URLs and limits of a parsed config, with market defaults filled in. */
export function resolveEndpoints(config: BinanceConfig) {
  const d = MARKET_DEFAULTS[config.market];
  return {
    venue: VENUE_IDS[config.market],
    wsBaseUrl: config.wsBaseUrl ?? d.wsBaseUrl,
    restBaseUrl: config.restBaseUrl ?? d.restBaseUrl,
    restPrefix: d.restPrefix,
    maxStreamsPerConnection: config.ws.maxStreamsPerConnection ?? d.maxStreamsPerConnection,
    maxIncomingMessagesPerSecond: config.ws.maxIncomingMessagesPerSecond ?? d.maxIncomingMessagesPerSecond,
    weightLimitPerMinute: config.rest.weightLimitPerMinute ?? d.weightLimitPerMinute,
  } as const;
}
