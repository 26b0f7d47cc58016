/** Parsing of the symbol and period arguments of `/price` and `/chart`. */

import type { MarketDataSource } from '../../../mcp-servers/common/index.ts';
import { errorMessage, resolveSeries, type SeriesId } from '../../../mcp-servers/common/index.ts';

/** `BTCUSDT`, `btc/usdt` or `BINANCE:BTCUSDT` → the stored series, or a message saying what is valid. */
export async function seriesOf(
  market: MarketDataSource,
  typed: string,
): Promise<{ ok: true; series: SeriesId } | { ok: false; message: string }> {
  const colon = typed.indexOf(':');
  const exchange = colon > 0 ? typed.slice(0, colon) : undefined;
  const symbol = colon > 0 ? typed.slice(colon + 1) : typed;
  try {
    return { ok: true, series: await resolveSeries(market, symbol, exchange, 'symbol') };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}
