/**
 * Rows going into and coming out of the store. Field names follow the protobuf contracts
 * (`proto/quantforge/v1/market.proto`, camelCase as the codecs use them) so a stored bar is a
 * valid `BarInit` and a stored trade a valid `TradeInit`. Times are epoch µs numbers; prices and
 * sizes are exact decimal strings (returned canonical: no trailing zeros).
 */

/** A series: one venue symbol. */
export interface SeriesRef {
  readonly venue: string;
  readonly symbol: string;
}

/** A trade to store (one venue execution, or an aggregate trade). */
export interface TradeRow extends SeriesRef {
  /** Strict per-series sequence number (1, 2, 3… after dedup). */
  readonly seq: number;
  readonly timeUs: number;
  readonly tradeId: string;
  readonly price: string;
  readonly quantity: string;
  /** price × quantity, exact; empty or absent when unknown. */
  readonly quoteQuantity?: string;
  /** Side enum of the proto: 1 buyer aggressor, 2 seller aggressor, 0 unknown. */
  readonly aggressor: number;
  /** Underlying venue trade ids (aggregate trades); default: tradeId when numeric. */
  readonly firstTradeId?: string;
  readonly lastTradeId?: string;
  /** Executions this row stands for (default 1). */
  readonly tradeCount?: number;
  readonly bestMatch?: boolean;
}

/**
 * A trade whose text fields are byte ranges of one record (as read off the bus), for
 * `StoreWriter.pushTradeBytes`: prices, sizes and numeric ids are read straight from the bytes,
 * no string is made for them. Callers may reuse one object from trade to trade.
 */
export interface TradeBytes extends SeriesRef {
  readonly seq: number;
  readonly timeUs: number;
  /** Side enum of the proto: 1 buyer aggressor, 2 seller aggressor, 0 unknown. */
  readonly aggressor: number;
  /** Executions this row stands for. */
  readonly tradeCount: number;
  readonly bestMatch: boolean;
  /** The record holding the text fields (ASCII decimals and ids). */
  readonly bytes: Uint8Array;
  /**
   * `[start, end)` in `bytes` of tradeId, price, quantity, quoteQuantity, firstTradeId and
   * lastTradeId, in that order (12 numbers); start === end: absent (as TradeRow's '' or undefined).
   */
  readonly spans: ArrayLike<number>;
}

/** A stored trade as read back. */
export interface StoredTrade {
  readonly seq: number;
  readonly timeUs: number;
  readonly tradeId: string;
  readonly price: string;
  readonly quantity: string;
  /** Empty when unknown. */
  readonly quoteQuantity: string;
  readonly aggressor: number;
  readonly firstTradeId: string;
  readonly lastTradeId: string;
  readonly tradeCount: number;
  readonly bestMatch: boolean;
}

/** A bar to store (the store keeps, per open time, the highest revision, then the latest written). */
export interface BarRow extends SeriesRef {
  readonly period: string;
  readonly openTimeUs: number;
  /** Exclusive end; default open + period. */
  readonly closeTimeUs?: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  /** Optional volumes: empty or absent when the source does not give them. */
  readonly takerBuyVolume?: string;
  readonly makerVolume?: string;
  readonly quoteVolume?: string;
  readonly takerBuyQuoteVolume?: string;
  readonly tradeCount?: number;
  readonly revision?: number;
  readonly final?: boolean;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
}

/** A bar as read back (a valid proto `BarInit`). Unknown volumes are empty strings. */
export interface StoredBar {
  readonly period: string;
  readonly openTimeUs: number;
  readonly closeTimeUs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly takerBuyVolume: string;
  readonly makerVolume: string;
  readonly tradeCount: number;
  readonly quoteVolume: string;
  readonly takerBuyQuoteVolume: string;
  readonly revision: number;
  readonly final: boolean;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/** A symbol registry entry (the proto `SymbolInfo`, with plain types). */
export interface SymbolRecord {
  /** Venue id, e.g. BINANCE (the `venue=` partition). */
  readonly exchangeId: string;
  /** Unified id, e.g. BTC/USDT. */
  readonly marketId: string;
  /** Venue-native symbol, e.g. BTCUSDT. */
  readonly venueSymbol: string;
  /** Proto MarketType enum (1 spot, 2 perpetual, 3 future, 4 option). */
  readonly marketType: number;
  readonly description: string;
  readonly columns: readonly string[];
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Epoch µs, 0 when unknown. */
  readonly earliestTimeUs: number;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly supportedPeriods: readonly string[];
  readonly status: string;
  readonly contractSize: string;
}

/** Coverage of a bar series over a range: which periods are present and where the holes are. */
export interface BarCoverage {
  readonly period: string;
  readonly fromUs: number;
  readonly toUs: number;
  readonly expected: number;
  readonly present: number;
  readonly missing: number;
  readonly firstOpenUs: number | null;
  readonly lastOpenUs: number | null;
  /** Holes as [fromUs, toUs) ranges of missing bar open times, oldest first, at most `maxGaps`. */
  readonly gaps: readonly { fromUs: number; toUs: number; missing: number }[];
}

/** Completeness of a trade series: venue trade-id holes and seq holes. */
export interface TradeGaps {
  readonly rows: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly firstTradeId: number | null;
  readonly lastTradeId: number | null;
  /** Venue trade ids missing between consecutive stored trades. */
  readonly missingTradeIds: number;
  readonly seqHoles: number;
  /** Trade-id holes: ids in (afterId, beforeId) are missing. At most `maxGaps`. */
  readonly holes: readonly { afterId: number; beforeId: number; afterTimeUs: number; beforeTimeUs: number }[];
}

/** What the catalog knows about one series without reading any Parquet. */
export interface SeriesSummary {
  readonly dataset: string;
  readonly venue: string;
  readonly symbol: string;
  readonly files: number;
  readonly rows: number;
  readonly bytes: number;
  readonly minTimeUs: number;
  readonly maxTimeUs: number;
  readonly minSeq: number | null;
  readonly maxSeq: number | null;
  readonly dates: readonly string[];
}
