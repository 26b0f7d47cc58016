import type { VenueData } from '../data/load.ts';
import { BinanceApiRejection, rejections } from '../errors.ts';
import { createEndpoints, type Market } from './endpoints.ts';
import { type BanOptions, createWeightLimiter } from './weight-limiter.ts';

/** A REST answer, independent of the HTTP server that writes it. */
export interface RestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/** Options of {@link createRestHandler}. */
export interface RestHandlerOptions {
  readonly market: Market;
  readonly weightLimit: number;
  readonly now: () => number;
  /** Ban (418) a client that keeps calling after 429s; off when absent. */
  readonly ban?: BanOptions;
}

const PREFIX: Record<Market, string> = { spot: '/api/v3/', usdm: '/fapi/v1/' };

/**
 * Binance's public market-data REST API over recorded data: routes `GET /api/v3/<name>`
 * (spot) or `/fapi/v1/<name>` (USD-M), charges the request weight (429 with `Retry-After`
 * past the per-minute limit; every answer carries `X-MBX-USED-WEIGHT-1M`) and answers
 * rejections with Binance's `{"code","msg"}` bodies.
 */
export function createRestHandler(
  data: VenueData,
  options: RestHandlerOptions,
): (method: string, url: URL) => RestResponse {
  const endpoints = createEndpoints(data, options.market, options.now);
  const limiter = createWeightLimiter(options.weightLimit, options.now, options.ban);
  const prefix = PREFIX[options.market];
  const json = { 'Content-Type': 'application/json;charset=UTF-8' };

  return function handleRest(method, url) {
    const name = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : null;
    const endpoint = name === null ? undefined : endpoints[name];
    if (endpoint === undefined || (method !== 'GET' && method !== 'HEAD')) {
      const r = rejections.notFound();
      return {
        status: r.status,
        headers: { ...json, 'X-MBX-USED-WEIGHT-1M': String(limiter.used()) },
        body: r.toBody(),
      };
    }
    const charge = limiter.charge(endpoint.weight(url.searchParams));
    const weightHeader = { 'X-MBX-USED-WEIGHT-1M': String(charge.used) };
    if (!charge.ok) {
      const r = charge.banned
        ? rejections.banned(charge.bannedUntil ?? 0)
        : rejections.tooMuchWeight(options.weightLimit);
      return {
        status: r.status,
        headers: { ...json, ...weightHeader, 'Retry-After': String(charge.retryAfterS) },
        body: r.toBody(),
      };
    }
    try {
      return { status: 200, headers: { ...json, ...weightHeader }, body: endpoint.handle(url.searchParams) };
    } catch (err) {
      if (err instanceof BinanceApiRejection) {
        return { status: err.status, headers: { ...json, ...weightHeader }, body: err.toBody() };
      }
      throw err;
    }
  };
}
