/**
 * exchangeInfo -> our SymbolInfo records (the ingestion API's symbol description).
 * Market ids follow ccxt: `BTC/USDT` (spot), `BTC/USDT:USDT` (USDⓈ-M perpetual),
 * `BTC/USD:BTC` (COIN-M perpetual), `BTC/USDT:USDT-241227` (dated future).
 */
import { tryCanonicalDecimal } from '../../../core/decimal/index.ts';
import { servedPeriods } from '../../../core/periods/index.ts';
import { MarketType, type SymbolInfoInit } from '../../../proto/index.ts';
import type { BinanceMarket } from './config.ts';
import { KLINE_INTERVALS, VENUE_IDS } from './config.ts';
import type { ExchangeInfo, ExchangeInfoSymbol } from './schemas/rest.ts';

/**
 * Periods a Binance symbol can be asked for (SymbolInfo.supported_periods): the catalogue's
 * periods among Binance's kline intervals.
 */
const SUPPORTED_PERIODS: readonly string[] = servedPeriods(KLINE_INTERVALS);

/** Columns of the datasets stored per symbol. */
export const SYMBOL_COLUMNS = [
  'time',
  'trade_id',
  'price',
  'quantity',
  'quote_quantity',
  'aggressor',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'taker_buy_volume',
  'trade_count',
  'quote_volume',
];

function filterValue(s: ExchangeInfoSymbol, type: string, field: string): string {
  const f = s.filters.find((x) => x.filterType === type);
  const v = f?.[field];
  if (typeof v !== 'string') return '';
  return tryCanonicalDecimal(v) ?? v;
}

function yymmdd(ms: number): string {
  return new Date(ms).toISOString().slice(2, 10).replaceAll('-', '');
}

function marketTypeOf(market: BinanceMarket, s: ExchangeInfoSymbol): MarketType {
  if (market === 'spot') return MarketType.MARKET_TYPE_SPOT;
  return s.contractType === undefined || s.contractType.includes('PERPETUAL')
    ? MarketType.MARKET_TYPE_PERPETUAL
    : MarketType.MARKET_TYPE_FUTURE;
}

/** The unified market id of a symbol. */
export function marketIdOf(market: BinanceMarket, s: ExchangeInfoSymbol): string {
  const pair = `${s.baseAsset}/${s.quoteAsset}`;
  if (market === 'spot') return pair;
  const settle = s.marginAsset ?? (market === 'coinm' ? s.baseAsset : s.quoteAsset);
  const dated = marketTypeOf(market, s) === MarketType.MARKET_TYPE_FUTURE && s.deliveryDate !== undefined;
  return dated ? `${pair}:${settle}-${yymmdd(s.deliveryDate!)}` : `${pair}:${settle}`;
}

/** One exchangeInfo symbol -> SymbolInfo. */
export function toSymbolInfo(market: BinanceMarket, s: ExchangeInfoSymbol): SymbolInfoInit {
  const marketType = marketTypeOf(market, s);
  const kind =
    market === 'spot'
      ? 'spot'
      : `${market === 'usdm' ? 'USDⓈ-M' : 'COIN-M'} ${marketType === MarketType.MARKET_TYPE_PERPETUAL ? 'perpetual' : 'future'}`;
  return {
    exchangeId: VENUE_IDS[market],
    marketId: marketIdOf(market, s),
    venueSymbol: s.symbol,
    marketType,
    description: `${s.baseAsset}/${s.quoteAsset} ${kind} on Binance`,
    columns: SYMBOL_COLUMNS,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    earliestTimeUs: s.onboardDate === undefined ? 0 : s.onboardDate * 1000,
    tickSize: filterValue(s, 'PRICE_FILTER', 'tickSize'),
    lotSize: filterValue(s, 'LOT_SIZE', 'stepSize'),
    supportedPeriods: [...SUPPORTED_PERIODS],
    status: s.status ?? s.contractStatus ?? '',
    contractSize: market === 'coinm' && s.contractSize !== undefined ? String(s.contractSize) : '',
  };
}

/**
 * exchangeInfo -> SymbolInfo records, optionally only `symbols` (venue symbols, any case).
 * @example toSymbolInfos('spot', info, ['BTCUSDT'])[0].tickSize === '0.01'
 */
export function toSymbolInfos(
  market: BinanceMarket,
  info: ExchangeInfo,
  symbols?: readonly string[],
): SymbolInfoInit[] {
  const wanted = symbols === undefined ? undefined : new Set(symbols.map((s) => s.toUpperCase()));
  return info.symbols
    .filter((s) => wanted === undefined || wanted.has(s.symbol))
    .map((s) => toSymbolInfo(market, s));
}
