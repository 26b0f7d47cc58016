import type { Logger } from '../../../core/logger.ts';
import {
  BINANCE_MARKETS,
  type BinanceConfig,
  binanceConfigSchema,
  resolveEndpoints,
  VENUE_IDS,
} from './config.ts';
import { createBinanceHttpClient } from './http/client.ts';
import { type BinanceMarketApi, createBinanceMarketApi } from './http/market.ts';

/**
 * The REST market API of every Binance market (spot, USD-M, COIN-M), keyed by venue id: base
 * URL, timeouts and weight limit from the configured entry of that market when there is one,
 * the public endpoint otherwise. Used by backfill, which may be asked for any market.
 */
export function createBinanceMarketApis(
  deps: { logger?: Logger },
  entries: readonly BinanceConfig[],
): Record<string, BinanceMarketApi> {
  const out: Record<string, BinanceMarketApi> = {};
  for (const market of BINANCE_MARKETS) {
    const entry =
      entries.find((b) => b.market === market) ?? binanceConfigSchema.parse({ market, symbols: ['BTCUSDT'] });
    const ep = resolveEndpoints(entry);
    const http = createBinanceHttpClient(deps, {
      baseUrl: ep.restBaseUrl,
      timeoutMs: entry.rest.timeoutMs,
      maxRetries: entry.rest.maxRetries,
      maxWaitMs: entry.rest.maxWaitMs,
      weightLimitPerMinute: ep.weightLimitPerMinute,
    });
    out[VENUE_IDS[market]] = createBinanceMarketApi(http, market);
  }
  return out;
}
