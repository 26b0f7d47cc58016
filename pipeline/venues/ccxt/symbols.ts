import type { Exchange, MarketInterface as Market } from 'ccxt';
import ccxt from 'ccxt';
import { servedPeriods } from '../../../core/periods/index.ts';
import { MarketType, type SymbolInfoInit } from '../../../proto/index.ts';
import { numberToDecimal, optionalDecimal } from './decimal-text.ts';

/** Columns of what the ccxt venue stores per symbol: bars and trades as it can fill them. */
export const CCXT_COLUMNS: readonly string[] = [
  'open_time_us',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'trade_id',
  'price',
  'quantity',
  'aggressor',
  'time_us',
];

function marketType(m: Market): MarketType {
  if (m.spot) return MarketType.MARKET_TYPE_SPOT;
  if (m.swap) return MarketType.MARKET_TYPE_PERPETUAL;
  if (m.future) return MarketType.MARKET_TYPE_FUTURE;
  if (m.option) return MarketType.MARKET_TYPE_OPTION;
  return MarketType.MARKET_TYPE_UNSPECIFIED;
}

/**
 * A ccxt precision value as a step: in TICK_SIZE mode it is the step already; in
 * DECIMAL_PLACES mode it is a digit count (2 -> 0.01). Significant-digit precision has no
 * fixed step: ''.
 */
export function precisionToStep(value: number | undefined, mode: number | undefined): string {
  if (value === undefined || value === null) return '';
  if (mode === ccxt.TICK_SIZE) return numberToDecimal(value);
  if (mode === ccxt.DECIMAL_PLACES) return value <= 0 ? '1' : `0.${'0'.repeat(value - 1)}1`;
  return '';
}

function statusOf(m: Market): string {
  const info: unknown = m.info;
  if (typeof info === 'object' && info !== null) {
    const s = (info as { status?: unknown }).status;
    if (typeof s === 'string' && s.length > 0) return s;
  }
  return m.active === false ? 'INACTIVE' : 'TRADING';
}

/** One ccxt market -> our SymbolInfo (pure). */
export function toSymbolInfo(m: Market, exchange: Exchange, venueId: string): SymbolInfoInit {
  const mode = exchange.precisionMode;
  const lot = precisionToStep(m.precision.amount, mode) || optionalDecimal(m.limits.amount?.min);
  const created = (m as Market & { created?: number }).created;
  return {
    exchangeId: venueId,
    marketId: m.symbol,
    venueSymbol: m.id,
    marketType: marketType(m),
    description: `${m.base}/${m.quote} ${m.type ?? 'spot'} on ${exchange.name ?? exchange.id}`,
    columns: [...CCXT_COLUMNS],
    baseAsset: m.base,
    quoteAsset: m.quote,
    earliestTimeUs: typeof created === 'number' && created > 0 ? created * 1000 : 0,
    tickSize: precisionToStep(m.precision.price, mode),
    lotSize: lot,
    supportedPeriods: servedPeriods(Object.keys(exchange.timeframes ?? {})),
    status: statusOf(m),
    contractSize: m.contract ? optionalDecimal(m.contractSize) : '',
  };
}
