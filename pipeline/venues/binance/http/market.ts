/**
 * Binance public market-data endpoints (spot /api/v3, USDⓈ-M /fapi/v1, COIN-M /dapi/v1),
 * validated with zod, plus pagination helpers for backfill: klines and aggTrades over a time
 * range, historical trades from an id.
 */
import type { z } from 'zod';
import type { BinanceMarket } from '../config.ts';
import { MARKET_DEFAULTS } from '../config.ts';
import { BinanceDecodeError } from '../errors.ts';
import { describeIssues } from '../schemas/common.ts';
import {
  type ExchangeInfo,
  exchangeInfoSchema,
  type RestAggTrade,
  type RestKline,
  type RestTrade,
  restAggTradesSchema,
  restKlinesSchema,
  restTradesSchema,
} from '../schemas/rest.ts';
import type { BinanceHttpClient, QueryParams } from './client.ts';

/** Request weights (Binance docs; futures klines at limit 1000 cost 5). */
const WEIGHTS: Readonly<Record<BinanceMarket, Readonly<Record<string, number>>>> = {
  spot: { exchangeInfo: 20, klines: 2, aggTrades: 2, trades: 25, historicalTrades: 25 },
  usdm: { exchangeInfo: 1, klines: 5, aggTrades: 20, trades: 5, historicalTrades: 20 },
  coinm: { exchangeInfo: 1, klines: 5, aggTrades: 20, trades: 5, historicalTrades: 20 },
};

/** Largest page each endpoint serves. */
export const PAGE_LIMITS = { klines: 1000, aggTrades: 1000, historicalTrades: 1000 } as const;

/** Binance refuses aggTrades windows (startTime..endTime) of an hour or more. */
const AGG_WINDOW_MS = 60 * 60_000 - 1;

export interface KlinesQuery {
  readonly symbol: string;
  /** `1m`, `1h`, ... */
  readonly interval: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

export interface AggTradesQuery {
  readonly symbol: string;
  readonly fromId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

export interface HistoricalTradesQuery {
  readonly symbol: string;
  readonly fromId?: number;
  readonly limit?: number;
}

/** The market endpoints of one Binance market. */
export interface BinanceMarketApi {
  exchangeInfo(): Promise<ExchangeInfo>;
  klines(query: KlinesQuery): Promise<RestKline[]>;
  aggTrades(query: AggTradesQuery): Promise<RestAggTrade[]>;
  /** Most recent trades. */
  trades(query: { readonly symbol: string; readonly limit?: number }): Promise<RestTrade[]>;
  historicalTrades(query: HistoricalTradesQuery): Promise<RestTrade[]>;
  /** Pages of klines with open time in [startTime, endTime], oldest first. */
  klinesBetween(
    query: KlinesQuery & { readonly startTime: number; readonly endTime: number },
  ): AsyncGenerator<RestKline[]>;
  /** Pages of aggTrades with time in [startTime, endTime], oldest first, ids contiguous. */
  aggTradesBetween(query: {
    readonly symbol: string;
    readonly startTime: number;
    readonly endTime: number;
    /** Page size (default and maximum 1000). */
    readonly limit?: number;
  }): AsyncGenerator<RestAggTrade[]>;
  /** Pages of trades from `fromId` up to `toId` (inclusive) or the newest, oldest first. */
  historicalTradesFrom(query: {
    readonly symbol: string;
    readonly fromId: number;
    readonly toId?: number;
    /** Page size (default and maximum 1000). */
    readonly limit?: number;
  }): AsyncGenerator<RestTrade[]>;
}

/**
 * Creates the market API over a REST transport.
 * @example
 * const api = createBinanceMarketApi(http, 'spot');
 * for await (const page of api.klinesBetween({ symbol: 'BTCUSDT', interval: '1m', startTime, endTime })) store(page);
 */
export function createBinanceMarketApi(http: BinanceHttpClient, market: BinanceMarket): BinanceMarketApi {
  const prefix = MARKET_DEFAULTS[market].restPrefix;
  const weights = WEIGHTS[market];

  async function call<T>(endpoint: string, schema: z.ZodType<T>, params?: QueryParams): Promise<T> {
    const path = `${prefix}/${endpoint}`;
    const body = await http.get(path, params, { weight: weights[endpoint] ?? 1 });
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new BinanceDecodeError(
        `GET ${path}: unexpected response shape: ${describeIssues(parsed.error)}`,
        {
          request: { method: 'GET', path },
          cause: parsed.error,
        },
      );
    }
    return parsed.data;
  }

  const api: BinanceMarketApi = {
    exchangeInfo: () => call('exchangeInfo', exchangeInfoSchema),
    klines: (q) =>
      call('klines', restKlinesSchema, {
        symbol: q.symbol,
        interval: q.interval,
        startTime: q.startTime,
        endTime: q.endTime,
        limit: q.limit,
      }),
    aggTrades: (q) =>
      call('aggTrades', restAggTradesSchema, {
        symbol: q.symbol,
        fromId: q.fromId,
        startTime: q.startTime,
        endTime: q.endTime,
        limit: q.limit,
      }),
    trades: (q) => call('trades', restTradesSchema, { symbol: q.symbol, limit: q.limit }),
    historicalTrades: (q) =>
      call('historicalTrades', restTradesSchema, { symbol: q.symbol, fromId: q.fromId, limit: q.limit }),

    async *klinesBetween(q) {
      const limit = q.limit ?? PAGE_LIMITS.klines;
      let cursor = q.startTime;
      while (cursor <= q.endTime) {
        const page = await api.klines({ ...q, startTime: cursor, endTime: q.endTime, limit });
        if (page.length === 0) return;
        yield page;
        const lastOpen = page[page.length - 1]![0];
        if (page.length < limit || lastOpen < cursor) return;
        cursor = lastOpen + 1;
      }
    },

    async *aggTradesBetween(q) {
      const limit = q.limit ?? PAGE_LIMITS.aggTrades;
      // Find the first trade: windows of < 1 h (Binance's limit) until one is not empty.
      let windowStart = q.startTime;
      let windowEnd = windowStart;
      let page: RestAggTrade[] = [];
      while (windowStart <= q.endTime) {
        windowEnd = Math.min(windowStart + AGG_WINDOW_MS, q.endTime);
        page = await api.aggTrades({ symbol: q.symbol, startTime: windowStart, endTime: windowEnd, limit });
        if (page.length > 0) break;
        windowStart = windowEnd + 1;
      }
      // Then walk by id, which never skips or repeats a trade. A short first page only means
      // its window ended; a short page after that means we reached the newest trade.
      let windowed = windowEnd < q.endTime;
      while (page.length > 0) {
        const inRange = page.filter((t) => t.T <= q.endTime);
        if (inRange.length > 0) yield inRange;
        if (inRange.length < page.length) return;
        if (page.length < limit && !windowed) return;
        windowed = false;
        page = await api.aggTrades({ symbol: q.symbol, fromId: page[page.length - 1]!.a + 1, limit });
      }
    },

    async *historicalTradesFrom(q) {
      const limit = q.limit ?? PAGE_LIMITS.historicalTrades;
      let fromId = q.fromId;
      for (;;) {
        const page = await api.historicalTrades({ symbol: q.symbol, fromId, limit });
        const inRange = q.toId === undefined ? page : page.filter((t) => t.id <= q.toId!);
        if (inRange.length > 0) yield inRange;
        if (page.length < limit || inRange.length < page.length) return;
        fromId = page[page.length - 1]!.id + 1;
      }
    },
  };
  return api;
}
