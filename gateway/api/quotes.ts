import { Hono } from 'hono';
import { resolveSeries, type SeriesId } from '../../mcp-servers/common/index.ts';
import type { ApiDeps } from './deps.ts';
import type { ApiEnv } from './identity.ts';
import { parseOr400, quotesQuery, splitSymbol } from './params.ts';

/** One symbol's latest price: the close of its newest 1m bar. */
interface QuoteAnswer {
  readonly exchange: string;
  readonly symbol: string;
  /** Exact decimal string; null when the series has no 1m bar. */
  readonly price: string | null;
  /** Open time of the bar the price closes, ISO; null with no bar. */
  readonly time: string | null;
  /** `live`: the cache fed by the live stream; `store`: the historical store. */
  readonly source: 'live' | 'store' | null;
}

async function quoteOf(deps: ApiDeps, series: SeriesId): Promise<QuoteAnswer> {
  const head = { exchange: series.venue, symbol: series.symbol };
  const live = deps.liveBars?.latest(series, '1m') ?? null;
  if (live !== null) {
    return {
      ...head,
      price: live.close,
      time: new Date(live.openTimeUs / 1000).toISOString(),
      source: 'live',
    };
  }
  const stored = await deps.market.latestBar({ ...series, period: '1m' });
  if (stored === null) return { ...head, price: null, time: null, source: null };
  return {
    ...head,
    price: stored.close,
    time: new Date(stored.openTimeUs / 1000).toISOString(),
    source: 'store',
  };
}

/** `GET /quotes?symbols=BTCUSDT,BINANCE:XRPETH`: the latest price of each. */
export function quoteRoutes(deps: ApiDeps): Hono<ApiEnv> {
  return new Hono<ApiEnv>().get('/quotes', async (c) => {
    const q = parseOr400(quotesQuery, c.req.query());
    const series = await Promise.all(
      q.symbols.map((s) => {
        const named = splitSymbol(s);
        return resolveSeries(deps.market, named.symbol, named.exchange, 'symbols');
      }),
    );
    const quotes = await Promise.all(series.map((s) => quoteOf(deps, s)));
    c.header('Cache-Control', 'private, max-age=1');
    return c.json({ quotes });
  });
}
