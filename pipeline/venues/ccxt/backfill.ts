import type { Trade as CcxtTrade, Exchange, OHLCV } from 'ccxt';
import { type BarInit, Side, type TradeInit } from '../../../proto/index.ts';
import { checkTradeValues, isTradeValueFailure } from '../trade-values.ts';
import { numberToDecimal } from './decimal-text.ts';
import { callCcxt } from './errors.ts';

/** A backfill window in epoch ms: `sinceMs` inclusive, `untilMs` exclusive. */
export interface BackfillRange {
  readonly sinceMs: number;
  readonly untilMs: number;
}

/** How a backfill pages. */
export interface PagingOptions {
  readonly pageLimit: number;
  /** Jump this far when a trades page is short (the venue answers one window per call). */
  readonly emptyWindowMs?: number;
  /** Wall clock in ms: bars ending after it are not final. */
  readonly now: () => number;
  /** Told when more trades share one ms than a page holds (some may be skipped). */
  readonly onWarning?: (message: string) => void;
}

/** A ccxt OHLCV row -> a final (or forming) bar (pure). Taker split and counts are unknown here. */
export function toBar(row: OHLCV, period: string, periodMs: number, nowMs: number): BarInit {
  const [ts = 0, o = 0, h = 0, l = 0, c = 0, v = 0] = row;
  return {
    period,
    openTimeUs: ts * 1000,
    closeTimeUs: (ts + periodMs) * 1000,
    open: numberToDecimal(o),
    high: numberToDecimal(h),
    low: numberToDecimal(l),
    close: numberToDecimal(c),
    volume: numberToDecimal(v),
    revision: 0,
    final: ts + periodMs <= nowMs,
  };
}

function decimalOrText(value: number): string {
  return Number.isFinite(value) ? numberToDecimal(value) : String(value);
}

/**
 * A ccxt trade -> our trade (pure). When the raw record carries first/last execution ids
 * (Binance aggTrades `f`/`l`), they and the execution count are kept.
 */
export function toTrade(t: CcxtTrade): TradeInit {
  const info: unknown = t.info;
  const raw = typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : {};
  const first = typeof raw.f === 'number' ? raw.f : undefined;
  const last = typeof raw.l === 'number' ? raw.l : undefined;
  return {
    tradeId: String(t.id),
    // NaN or Infinity stays text here, for checkTradeValues to refuse by name.
    price: decimalOrText(t.price ?? 0),
    quantity: decimalOrText(t.amount ?? 0),
    quoteQuantity: '',
    aggressor: t.side === 'buy' ? Side.SIDE_BUY : t.side === 'sell' ? Side.SIDE_SELL : Side.SIDE_UNSPECIFIED,
    timeUs: (t.timestamp ?? 0) * 1000,
    firstTradeId: first === undefined ? '' : String(first),
    lastTradeId: last === undefined ? '' : String(last),
    tradeCount: first !== undefined && last !== undefined ? last - first + 1 : 1,
    bestMatch: raw.M === true,
  };
}

/**
 * Pages `fetchOHLCV` forward from `sinceMs`: each page starts one period after the last bar
 * of the previous one; stops at `untilMs`, on an empty page, or when a page makes no progress.
 */
export async function* fetchBarPages(
  exchange: Exchange,
  symbol: string,
  period: string,
  range: BackfillRange,
  paging: PagingOptions,
): AsyncGenerator<BarInit[]> {
  const periodMs = exchange.parseTimeframe(period) * 1000;
  let since = range.sinceMs;
  while (since < range.untilMs) {
    const from = since;
    const rows = await callCcxt(exchange.id, `fetchOHLCV ${symbol} ${period}`, () =>
      exchange.fetchOHLCV(symbol, period, from, paging.pageLimit),
    );
    if (rows.length === 0) return;
    const now = paging.now();
    const bars = rows
      .filter((r) => (r[0] ?? -1) >= from && (r[0] ?? Infinity) < range.untilMs)
      .map((r) => toBar(r, period, periodMs, now));
    if (bars.length > 0) yield bars;
    const next = (rows.at(-1)![0] ?? from) + periodMs;
    if (next <= since) return;
    since = next;
  }
}

/**
 * Pages `fetchTrades` forward from `sinceMs`, oldest first, without duplicates: the next
 * page starts at the last trade's ms and trades already seen in that ms are dropped. A short
 * page ends the backfill, or, with `emptyWindowMs` (venues that answer one time window per
 * call, as Binance aggTrades do for one hour), moves on one window.
 */
export async function* fetchTradePages(
  exchange: Exchange,
  symbol: string,
  range: BackfillRange,
  paging: PagingOptions,
): AsyncGenerator<TradeInit[]> {
  let since = range.sinceMs;
  let lastMs = -1;
  let seenAtLastMs = new Set<string>();
  while (since < range.untilMs) {
    const from = since;
    const page = await callCcxt(exchange.id, `fetchTrades ${symbol}`, () =>
      exchange.fetchTrades(symbol, from, paging.pageLimit),
    );
    let pastEnd = false;
    const fresh: CcxtTrade[] = [];
    for (const t of page) {
      const ts = t.timestamp ?? 0;
      if (ts >= range.untilMs) {
        pastEnd = true;
        continue;
      }
      if (ts < from || (ts === lastMs && seenAtLastMs.has(String(t.id)))) continue;
      fresh.push(t);
    }
    if (fresh.length > 0) {
      // The one check every normalizer makes: a price or quantity the store cannot hold, or
      // that is not > 0, is refused here (and said), never passed on.
      const trades: TradeInit[] = [];
      for (const t of fresh) {
        const trade = toTrade(t);
        const values = checkTradeValues(trade.price, trade.quantity, false);
        if (isTradeValueFailure(values))
          paging.onWarning?.(`trade ${trade.tradeId} refused: ${values.message}`);
        else trades.push(trade);
      }
      if (trades.length > 0) yield trades;
      const maxMs = fresh.at(-1)!.timestamp ?? from;
      if (maxMs !== lastMs) seenAtLastMs = new Set();
      lastMs = maxMs;
      for (const t of fresh) if (t.timestamp === maxMs) seenAtLastMs.add(String(t.id));
    }
    if (pastEnd) return;
    const full = page.length >= paging.pageLimit;
    if (full && fresh.length > 0) {
      since = Math.max(since, lastMs);
    } else if (full) {
      paging.onWarning?.(
        `${symbol}: more than ${paging.pageLimit} trades at ${from} ms; some may be skipped`,
      );
      since = from + 1;
    } else if (paging.emptyWindowMs !== undefined) {
      since = Math.max(from + paging.emptyWindowMs, lastMs);
    } else {
      return;
    }
  }
}
