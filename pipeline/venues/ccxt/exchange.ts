import ccxt, { type Exchange } from 'ccxt';
import { InvalidInputError } from '../../../core/errors.ts';
import type { CcxtVenueConfig } from './config.ts';

type ExchangeClass = new (config: Record<string, unknown>) => Exchange;

/** Rewrites URL prefixes in a (nested) ccxt `urls.api` value. */
export function rewriteApiUrls(api: unknown, overrides: Readonly<Record<string, string>>): unknown {
  if (typeof api === 'string') {
    for (const [from, to] of Object.entries(overrides)) {
      if (api.startsWith(from)) return to.replace(/\/$/, '') + api.slice(from.replace(/\/$/, '').length);
    }
    return api;
  }
  if (typeof api === 'object' && api !== null) {
    return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, rewriteApiUrls(v, overrides)]));
  }
  return api;
}

/**
 * Builds the ccxt exchange named in config, with its API URLs redirected as configured,
 * the market types narrowed, and ccxt's rate limiter on.
 */
export function createCcxtExchange(config: CcxtVenueConfig): Exchange {
  const Ctor = (ccxt as unknown as Record<string, ExchangeClass | undefined>)[config.exchange];
  if (typeof Ctor !== 'function' || !ccxt.exchanges.includes(config.exchange)) {
    throw new InvalidInputError(
      'ccxt.exchange',
      `unknown ccxt exchange "${config.exchange}" (e.g. binance, kraken, okx)`,
    );
  }
  const probe = new Ctor({});
  const api = rewriteApiUrls(probe.urls.api, config.hostOverrides);
  const urls = {
    ...probe.urls,
    api: typeof api === 'object' && api !== null ? { ...api, ...config.apiUrls } : api,
  };
  const options: Record<string, unknown> = {};
  if (config.marketTypes !== undefined) {
    const current = probe.options.fetchMarkets;
    options.fetchMarkets =
      typeof current === 'object' && current !== null && !Array.isArray(current)
        ? { ...current, types: config.marketTypes }
        : config.marketTypes;
  }
  return new Ctor({
    urls,
    enableRateLimit: config.enableRateLimit,
    timeout: config.timeoutMs,
    ...(config.rateLimitMs === undefined ? {} : { rateLimit: config.rateLimitMs }),
    options: { ...options, ...config.options },
  });
}
