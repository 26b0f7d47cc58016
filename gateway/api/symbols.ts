import { Hono } from 'hono';
import { marketTypeName } from '../../proto/index.ts';
import type { ApiDeps } from './deps.ts';
import type { ApiEnv } from './identity.ts';

/** `GET /symbols`: the symbol registry, market types by name, times in ISO. */
export function symbolRoutes(deps: ApiDeps): Hono<ApiEnv> {
  return new Hono<ApiEnv>().get('/symbols', async (c) => {
    const records = await deps.market.listSymbols();
    c.header('Cache-Control', 'private, max-age=60');
    return c.json({
      symbols: records.map((r) => ({
        exchange: r.exchangeId,
        symbol: r.venueSymbol,
        marketId: r.marketId,
        marketType: marketTypeName(r.marketType),
        description: r.description,
        baseAsset: r.baseAsset,
        quoteAsset: r.quoteAsset,
        tickSize: r.tickSize,
        lotSize: r.lotSize,
        periods: r.supportedPeriods,
        status: r.status,
        earliest: r.earliestTimeUs > 0 ? new Date(r.earliestTimeUs / 1000).toISOString() : null,
      })),
    });
  });
}
