import { z } from 'zod';
import type { CsvAggTrade, CsvTrade } from '../../replay/index.ts';
import { formatScaled, scaleOf, toScaled } from '../decimal.ts';

/** One execution as `/api/v3/trades` describes it (time in ms). */
export interface TradeRow {
  readonly id: number;
  readonly price: string;
  readonly qty: string;
  readonly timeMs: number;
  readonly isBuyerMaker: boolean;
  /** Spot only; null for futures. */
  readonly isBestMatch: boolean | null;
}

/** One aggregate trade in `/api/v3/aggTrades` field names. */
export interface AggTradeRow {
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly f: number;
  readonly l: number;
  readonly T: number;
  readonly m: boolean;
  readonly M: boolean | null;
}

/** The `data` of a recorded `@trade` message, spot (`M`) or futures (`X`). */
export const wsTradeSchema = z.object({
  e: z.literal('trade'),
  s: z.string(),
  t: z.number().int(),
  p: z.string(),
  q: z.string(),
  T: z.number().int(),
  m: z.boolean(),
  M: z.boolean().optional(),
});

/** The `data` of a recorded `@aggTrade` message. */
export const wsAggTradeSchema = z.object({
  e: z.literal('aggTrade'),
  s: z.string(),
  a: z.number().int(),
  p: z.string(),
  q: z.string(),
  f: z.number().int(),
  l: z.number().int(),
  T: z.number().int(),
  m: z.boolean(),
  M: z.boolean().optional(),
});

/** A recorded websocket aggregate trade -> an aggregate row. */
export function toAggTradeRow(d: z.infer<typeof wsAggTradeSchema>): AggTradeRow {
  return { a: d.a, p: d.p, q: d.q, f: d.f, l: d.l, T: d.T, m: d.m, M: d.M ?? null };
}

/** A recorded websocket trade -> a trade row. */
export function toTradeRow(data: z.infer<typeof wsTradeSchema>): TradeRow {
  return {
    id: data.t,
    price: data.p,
    qty: data.q,
    timeMs: data.T,
    isBuyerMaker: data.m,
    isBestMatch: data.M ?? null,
  };
}

/** A data.binance.vision trades row -> a trade row. */
export function csvTradeToRow(t: CsvTrade): TradeRow {
  return {
    id: t.id,
    price: t.price,
    qty: t.qty,
    timeMs: Math.floor(t.timeUs / 1000),
    isBuyerMaker: t.isBuyerMaker,
    isBestMatch: t.isBestMatch,
  };
}

/** A data.binance.vision aggTrades row -> an aggregate row. */
export function csvAggTradeToRow(t: CsvAggTrade): AggTradeRow {
  return {
    a: t.aggId,
    p: t.price,
    q: t.qty,
    f: t.firstTradeId,
    l: t.lastTradeId,
    T: Math.floor(t.timeUs / 1000),
    m: t.isBuyerMaker,
    M: t.isBestMatch,
  };
}

/**
 * Groups executions into aggregate trades the way Binance does as far as the data shows:
 * consecutive trades at the same price, time and aggressor side. (Binance groups by taker
 * order, which a trade stream does not carry; this is the closest observable rule.)
 * Aggregate ids are numbered from `firstAggId`, contiguous, as Binance's are.
 */
export function aggregateTrades(trades: readonly TradeRow[], firstAggId: number): AggTradeRow[] {
  const out: AggTradeRow[] = [];
  let i = 0;
  while (i < trades.length) {
    const first = trades[i]!;
    let j = i + 1;
    while (j < trades.length) {
      const t = trades[j]!;
      if (t.timeMs !== first.timeMs || t.price !== first.price || t.isBuyerMaker !== first.isBuyerMaker)
        break;
      j++;
    }
    let q = first.qty;
    if (j - i > 1) {
      const scale = scaleOf(first.qty);
      let sum = 0n;
      for (let k = i; k < j; k++) sum += toScaled(trades[k]!.qty, scale);
      q = formatScaled(sum, scale);
    }
    out.push({
      a: firstAggId + out.length,
      p: first.price,
      q,
      f: first.id,
      l: trades[j - 1]!.id,
      T: first.timeMs,
      m: first.isBuyerMaker,
      M: first.isBestMatch,
    });
    i = j;
  }
  return out;
}

/** Index of the first row whose key is >= `value` (rows sorted by key). */
export function lowerBound<T>(rows: readonly T[], value: number, key: (row: T) => number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(rows[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
