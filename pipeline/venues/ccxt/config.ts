import { z } from 'zod';

/**
 * Configuration of the ccxt venue: which exchange, where its API lives, how to page.
 * Every base URL is config so tests can point ccxt at the venue simulator.
 */
export const ccxtVenueConfigSchema = z.object({
  /** ccxt exchange id, e.g. `binance`, `binanceusdm`, `kraken`. */
  exchange: z.string().regex(/^[a-z0-9]+$/, 'a ccxt exchange id such as binance'),
  /** Venue id written into SymbolInfo.exchange_id (default: the ccxt id upper-cased). */
  venueId: z.string().min(1).optional(),
  /**
   * Rewrites the start of every ccxt API URL (`urls.api`, at any depth), e.g.
   * `{ "https://api.binance.com": "http://127.0.0.1:8080" }`.
   */
  hostOverrides: z.record(z.string().url(), z.string().url()).default({}),
  /** Replaces individual `urls.api` entries by key, e.g. `{ public: "http://127.0.0.1:8080/api/v3" }`. */
  apiUrls: z.record(z.string(), z.string().url()).default({}),
  /**
   * Market types to load (ccxt `options.fetchMarkets.types` where the exchange has it), e.g.
   * `["spot"]` so binance asks only `/api/v3/exchangeInfo`.
   */
  marketTypes: z.array(z.string()).optional(),
  /** Extra ccxt `options`, merged last. */
  options: z.record(z.string(), z.unknown()).default({}),
  /** ccxt's throttle (on by default): requests are spaced by the exchange's `rateLimit`. */
  enableRateLimit: z.boolean().default(true),
  /** Override of ccxt's ms between requests. */
  rateLimitMs: z.number().positive().optional(),
  timeoutMs: z.number().int().positive().default(10_000),
  /** Records per page (ccxt `limit`); the exchange's own maximum still applies. */
  pageLimit: z.number().int().positive().default(1000),
  /**
   * When a trades page comes back empty, jump this far ahead instead of stopping (Binance
   * answers aggTrades only within a 1-hour window from `since`). Default: 1 h for Binance ids.
   */
  emptyWindowMs: z.number().int().positive().optional(),
});

export type CcxtVenueConfig = z.infer<typeof ccxtVenueConfigSchema>;
export type CcxtVenueConfigInput = z.input<typeof ccxtVenueConfigSchema>;
