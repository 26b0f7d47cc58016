import type { SymbolData, VenueData } from '../data/load.ts';
import { type AggTradeRow, lowerBound, type TradeRow } from '../data/trades.ts';
import { formatScaled, scaleOf, toScaled } from '../decimal.ts';
import { rejections } from '../errors.ts';
import {
  aggregateKlines,
  buildKlines,
  intervalMs,
  KLINE_INTERVALS,
  type KlineRow,
  selectKlines,
} from './klines.ts';
import { limitParam, optionalInt, requiredSymbol, timeRange } from './params.ts';

const AGG_WINDOW_MS = 3_600_000;

/** One REST endpoint: its request weight and its answer (a JSON body). */
export interface Endpoint {
  weight(q: URLSearchParams): number;
  handle(q: URLSearchParams): string | Buffer;
}

/** Which Binance API the endpoints imitate; the two differ in weights, limits and fields. */
export type Market = 'spot' | 'usdm';

/** The endpoint tables of one simulated market, keyed by path after the API prefix. */
export function createEndpoints(
  data: VenueData,
  market: Market,
  now: () => number,
): Record<string, Endpoint> {
  const spot = market === 'spot';
  const klineCache = new Map<string, KlineRow[]>();
  const known = new Set<string>([...data.symbols.keys()]);
  for (const s of data.exchangeInfo?.document.symbols ?? []) known.add(s.symbol);

  /** The symbol's data, [] data when the venue lists it but nothing was recorded, else -1121. */
  const symbolData = (q: URLSearchParams): SymbolData => {
    const symbol = requiredSymbol(q);
    const d = data.symbols.get(symbol);
    if (d !== undefined) return d;
    if (known.has(symbol)) return { symbol, trades: [], aggTrades: [] };
    throw rejections.invalidSymbol();
  };

  const klines = (d: SymbolData, interval: string): KlineRow[] => {
    const key = `${d.symbol}:${interval}`;
    let rows = klineCache.get(key);
    if (rows === undefined) {
      rows = recordedOrBuilt(d, interval);
      klineCache.set(key, rows);
    }
    return rows;
  };

  const tradeJson = (t: TradeRow): Record<string, unknown> => {
    const scale = scaleOf(t.price) + scaleOf(t.qty);
    const quote = toScaled(t.price, scaleOf(t.price)) * toScaled(t.qty, scaleOf(t.qty));
    const base = {
      id: t.id,
      price: t.price,
      qty: t.qty,
      quoteQty: spot ? formatScaled(quote, scale, 8) : formatScaled(quote, scale),
      time: t.timeMs,
      isBuyerMaker: t.isBuyerMaker,
    };
    return spot ? { ...base, isBestMatch: t.isBestMatch ?? true } : base;
  };
  const aggJson = (a: AggTradeRow): Record<string, unknown> =>
    spot || a.M !== null
      ? { a: a.a, p: a.p, q: a.q, f: a.f, l: a.l, T: a.T, m: a.m, M: a.M ?? true }
      : { a: a.a, p: a.p, q: a.q, f: a.f, l: a.l, T: a.T, m: a.m };

  const klineLimitMax = spot ? 1000 : 1500;
  const endpoints: Record<string, Endpoint> = {
    ping: { weight: () => 1, handle: () => '{}' },
    time: { weight: () => 1, handle: () => JSON.stringify({ serverTime: now() }) },
    exchangeInfo: {
      weight: () => (spot ? 20 : 1),
      handle: (q) => exchangeInfo(data, q),
    },
    depth: {
      weight: (q) => depthWeight(spot, Number(q.get('limit') ?? 100)),
      handle: (q) => {
        const d = symbolData(q);
        const snapshot = data.depthSnapshots.get(d.symbol);
        if (snapshot === undefined) throw rejections.notFound();
        return snapshot;
      },
    },
    klines: {
      weight: (q) => (spot ? 2 : futuresKlineWeight(Number(q.get('limit') ?? 500))),
      handle: (q) => {
        const d = symbolData(q);
        const interval = q.get('interval');
        if (interval === null || interval === '') throw rejections.mandatory('interval');
        if (!KLINE_INTERVALS.includes(interval) || (!spot && interval === '1s'))
          throw rejections.invalidInterval();
        const limit = limitParam(q, 500, klineLimitMax);
        return JSON.stringify(selectKlines(klines(d, interval), { ...timeRange(q), limit }));
      },
    },
    trades: {
      weight: () => (spot ? 25 : 5),
      handle: (q) => {
        const rows = symbolData(q).trades ?? [];
        const limit = limitParam(q, 500, 1000);
        return JSON.stringify(rows.slice(Math.max(0, rows.length - limit)).map(tradeJson));
      },
    },
    historicalTrades: {
      weight: () => (spot ? 25 : 20),
      handle: (q) => {
        const rows = symbolData(q).trades ?? [];
        const limit = limitParam(q, 500, spot ? 1000 : 500);
        const fromId = optionalInt(q, 'fromId');
        const from =
          fromId === undefined ? Math.max(0, rows.length - limit) : lowerBound(rows, fromId, (t) => t.id);
        return JSON.stringify(rows.slice(from, from + limit).map(tradeJson));
      },
    },
    aggTrades: {
      weight: () => (spot ? 4 : 20),
      handle: (q) => {
        const rows = symbolData(q).aggTrades;
        const limit = limitParam(q, 500, 1000);
        const fromId = optionalInt(q, 'fromId');
        const { startTime, endTime } = timeRange(q);
        // Binance answers aggTrades by time only within a one-hour window.
        if (startTime !== undefined && endTime !== undefined && endTime - startTime > AGG_WINDOW_MS) {
          throw rejections.aggWindowTooLong();
        }
        let from = fromId === undefined ? 0 : lowerBound(rows, fromId, (a) => a.a);
        if (startTime !== undefined)
          from = Math.max(
            from,
            lowerBound(rows, startTime, (a) => a.T),
          );
        const to = endTime === undefined ? rows.length : lowerBound(rows, endTime + 1, (a) => a.T);
        if (to <= from) return '[]';
        const anchored = fromId !== undefined || startTime !== undefined;
        const slice = anchored
          ? rows.slice(from, Math.min(to, from + limit))
          : rows.slice(Math.max(from, to - limit), to);
        return JSON.stringify(slice.map(aggJson));
      },
    },
  };
  return endpoints;
}

/**
 * Bars for a symbol: recorded klines when there are (as is, or aggregated to a longer
 * interval; none for a shorter one), else built from the aggregate trades.
 */
function recordedOrBuilt(d: SymbolData, interval: string): KlineRow[] {
  if (d.klines === undefined) return buildKlines(d.aggTrades, interval);
  if (interval === d.klines.interval) return [...d.klines.rows];
  const have = intervalMs(d.klines.interval);
  const want = intervalMs(interval);
  if (interval === '1M' || (have !== null && want !== null && want > have && want % have === 0)) {
    return aggregateKlines(d.klines.rows, interval);
  }
  return [];
}

function depthWeight(spot: boolean, limit: number): number {
  if (spot) return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

function futuresKlineWeight(limit: number): number {
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

function exchangeInfo(data: VenueData, q: URLSearchParams): string | Buffer {
  const info = data.exchangeInfo;
  if (info === null) throw rejections.notFound();
  const one = q.get('symbol');
  const many = q.get('symbols');
  if (one === null && many === null) return info.bytes;
  let wanted: string[];
  if (one !== null) {
    wanted = [one.toUpperCase()];
  } else {
    try {
      const parsed: unknown = JSON.parse(many!);
      if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
        throw new Error('not a list');
      wanted = parsed.map((s: string) => s.toUpperCase());
    } catch {
      throw rejections.invalidValue('symbols');
    }
  }
  const bySymbol = new Map(info.document.symbols.map((s) => [s.symbol, s]));
  const symbols = wanted.map((s) => {
    const found = bySymbol.get(s);
    if (found === undefined) throw rejections.invalidSymbol();
    return found;
  });
  // Keep the document's key order (timezone, serverTime, rateLimits, ..., symbols).
  return JSON.stringify(
    Object.fromEntries(Object.entries(info.document).map(([k, v]) => [k, k === 'symbols' ? symbols : v])),
  );
}
