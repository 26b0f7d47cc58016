/**
 * REST history (klines, aggTrades, trades/historicalTrades) -> the same norm envelopes the
 * websocket path produces, through the same normalizers: a trade has the same event id
 * whether it arrived live or by backfill, so dedup is exact across both. REST records carry
 * no event time `E`: trades use their trade time, klines the `asOfMs` the caller fetched at.
 */
import type { BusRecord } from '../../../bus/types.ts';
import type { RestAggTrade, RestKline, RestTrade } from '../schemas/rest.ts';
import { normalizeAggTrade } from './agg-trade.ts';
import type { NormalizeContext, NormalizeFailure } from './envelope.ts';
import { normalizeKline } from './kline.ts';
import { normalizeTrade } from './trade.ts';

/** Where REST records came from. */
export interface RestNormalizeOptions {
  /** BINANCE, BINANCE_USDM or BINANCE_COINM. */
  readonly venue: string;
  /** Venue symbol, e.g. BTCUSDT. */
  readonly symbol: string;
  /** When the records were fetched, epoch µs (the envelopes' ingested_at_us). */
  readonly ingestedAtUs: number;
}

/** Records out, and the failures (index in the input + reason) of records that did not normalize. */
export interface RestNormalizeResult {
  readonly records: BusRecord[];
  readonly failures: { readonly index: number; readonly failure: NormalizeFailure }[];
}

function collect<T>(
  items: readonly T[],
  ctx: NormalizeContext,
  toWs: (item: T) => unknown,
  handler: (data: unknown, ctx: NormalizeContext, out: BusRecord[]) => NormalizeFailure | undefined,
): RestNormalizeResult {
  const records: BusRecord[] = [];
  const failures: { index: number; failure: NormalizeFailure }[] = [];
  items.forEach((item, index) => {
    const failure = handler(toWs(item), ctx, records);
    if (failure !== undefined) failures.push({ index, failure });
  });
  return { records, failures };
}

/** `/klines` rows -> norm.kline; a bar is final when its close time is before `asOfMs`. */
export function restKlinesToRecords(
  options: RestNormalizeOptions & { readonly interval: string; readonly asOfMs: number },
  klines: readonly RestKline[],
): RestNormalizeResult {
  const ctx = {
    venue: options.venue,
    stream: `kline_${options.interval}`,
    ingestedAtUs: options.ingestedAtUs,
  };
  return collect(
    klines,
    ctx,
    (k) => ({
      e: 'kline',
      E: options.asOfMs,
      s: options.symbol,
      k: {
        t: k[0],
        T: k[6],
        s: options.symbol,
        i: options.interval,
        f: -1,
        L: -1,
        o: k[1],
        h: k[2],
        l: k[3],
        c: k[4],
        v: k[5],
        n: k[8],
        x: k[6] < options.asOfMs,
        q: k[7],
        V: k[9],
        Q: k[10],
      },
    }),
    normalizeKline,
  );
}

/** `/aggTrades` rows -> norm.trade (event_type agg_trade). */
export function restAggTradesToRecords(
  options: RestNormalizeOptions,
  trades: readonly RestAggTrade[],
): RestNormalizeResult {
  const ctx = { venue: options.venue, stream: 'aggTrade', ingestedAtUs: options.ingestedAtUs };
  return collect(trades, ctx, (t) => ({ e: 'aggTrade', E: t.T, s: options.symbol, ...t }), normalizeAggTrade);
}

/** `/trades` or `/historicalTrades` rows -> norm.trade (event_type trade). */
export function restTradesToRecords(
  options: RestNormalizeOptions,
  trades: readonly RestTrade[],
): RestNormalizeResult {
  const ctx = { venue: options.venue, stream: 'trade', ingestedAtUs: options.ingestedAtUs };
  return collect(
    trades,
    ctx,
    (t) => ({
      e: 'trade',
      E: t.time,
      s: options.symbol,
      t: t.id,
      p: t.price,
      q: t.qty,
      T: t.time,
      m: t.isBuyerMaker,
      ...(t.isBestMatch !== undefined ? { M: t.isBestMatch } : {}),
    }),
    normalizeTrade,
  );
}
