/** Shapes of the REST market endpoints we read (spot /api/v3, futures /fapi/v1, /dapi/v1). */
import { z } from 'zod';
import { decimalString, epochMs, venueInt } from './common.ts';

const filterSchema = z.looseObject({ filterType: z.string() });

export const exchangeInfoSymbolSchema = z.looseObject({
  symbol: z.string().min(1),
  /** Spot and USDⓈ-M. */
  status: z.string().optional(),
  /** COIN-M. */
  contractStatus: z.string().optional(),
  baseAsset: z.string().min(1),
  quoteAsset: z.string().min(1),
  /** Futures: PERPETUAL, CURRENT_QUARTER, NEXT_QUARTER, ... */
  contractType: z.string().optional(),
  /** Futures: listing time, ms. */
  onboardDate: epochMs.optional(),
  deliveryDate: epochMs.optional(),
  /** COIN-M: contract size in quote units (100 for BTCUSD_PERP). */
  contractSize: z.number().positive().optional(),
  marginAsset: z.string().optional(),
  filters: z.array(filterSchema),
});
export type ExchangeInfoSymbol = z.infer<typeof exchangeInfoSymbolSchema>;

export const exchangeInfoSchema = z.looseObject({
  timezone: z.string().optional(),
  serverTime: epochMs,
  rateLimits: z.array(z.looseObject({ rateLimitType: z.string(), limit: z.number() })).optional(),
  symbols: z.array(exchangeInfoSymbolSchema),
});
export type ExchangeInfo = z.infer<typeof exchangeInfoSchema>;

/** `[openTime, o, h, l, c, v, closeTime, quoteVolume, trades, takerBuyBase, takerBuyQuote, ignore]` */
export const restKlineSchema = z
  .tuple([
    epochMs,
    decimalString,
    decimalString,
    decimalString,
    decimalString,
    decimalString,
    epochMs,
    decimalString,
    z.number().int().nonnegative(),
    decimalString,
    decimalString,
  ])
  .rest(z.unknown());
export type RestKline = z.infer<typeof restKlineSchema>;
export const restKlinesSchema = z.array(restKlineSchema);

export const restAggTradeSchema = z.object({
  a: venueInt,
  p: decimalString,
  q: decimalString,
  f: venueInt,
  l: venueInt,
  T: epochMs,
  m: z.boolean(),
  M: z.boolean().optional(),
});
export type RestAggTrade = z.infer<typeof restAggTradeSchema>;
export const restAggTradesSchema = z.array(restAggTradeSchema);

/** `/trades` and `/historicalTrades`. */
export const restTradeSchema = z.object({
  id: venueInt,
  price: decimalString,
  qty: decimalString,
  quoteQty: decimalString.optional(),
  time: epochMs,
  isBuyerMaker: z.boolean(),
  isBestMatch: z.boolean().optional(),
});
export type RestTrade = z.infer<typeof restTradeSchema>;
export const restTradesSchema = z.array(restTradeSchema);

/** Binance's error body: `{"code":-1121,"msg":"Invalid symbol."}`. */
export const restErrorSchema = z.object({ code: z.number(), msg: z.string() });
