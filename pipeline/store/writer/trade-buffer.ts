/**
 * Buffered trades, already split per partition (venue, symbol, UTC date) and laid out as staging
 * columns, so a flush hands each partition's columns to DuckDB without another pass.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { InvalidInputError } from '../../../core/errors.ts';
import { checkDecimal, type DecimalShape } from '../decimal.ts';
import { checkName, dateOfUs } from '../layout.ts';
import type { TradeRow } from '../types.ts';
import type { StageColumns } from './staging.ts';

export const TRADE_STAGE: StageColumns = [
  ['seq', 'DOUBLE'],
  ['time_us', 'DOUBLE'],
  ['trade_id', 'VARCHAR'],
  ['price', 'VARCHAR'],
  ['quantity', 'VARCHAR'],
  ['quote_quantity', 'VARCHAR'],
  ['side', 'INTEGER'],
  ['first_trade_id', 'DOUBLE'],
  ['last_trade_id', 'DOUBLE'],
  ['trade_count', 'INTEGER'],
  ['best_match', 'BOOLEAN'],
];

/** One partition's buffered trades. */
export interface TradeGroup {
  readonly venue: string;
  readonly symbol: string;
  readonly date: string;
  readonly cols: DuckDBValue[][];
  price: DecimalShape;
  quantity: DecimalShape;
  quote: DecimalShape;
  minTimeUs: number;
  maxTimeUs: number;
  minSeq: number;
  maxSeq: number;
  /** A seq arrived at or below the group's max: the flush sorts and drops duplicate seqs. */
  unordered: boolean;
}

/** A venue trade id as a number when it is a safe integer, else null (then gaps are not tracked). */
export function tradeIdNumber(id: string | undefined): number | null {
  if (id === undefined || id === '' || id.length > 16) return null;
  // Plain digits without a leading zero only (so the number prints back as the same id).
  if (id.length > 1 && id.charCodeAt(0) === 48) return null;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : null;
}

const DAY_US = 86_400_000_000;

function newGroup(venue: string, symbol: string, date: string): TradeGroup {
  return {
    venue,
    symbol,
    date,
    cols: TRADE_STAGE.map(() => []),
    price: { intDigits: 0, fracDigits: 0 },
    quantity: { intDigits: 0, fracDigits: 0 },
    quote: { intDigits: 0, fracDigits: 0 },
    minTimeUs: Number.POSITIVE_INFINITY,
    maxTimeUs: Number.NEGATIVE_INFINITY,
    minSeq: Number.POSITIVE_INFINITY,
    maxSeq: Number.NEGATIVE_INFINITY,
    unordered: false,
  };
}

function recomputeStats(g: TradeGroup): void {
  // Loops, not Math.min(...xs): a buffer can hold more values than the call stack takes.
  const seqs = g.cols[0] as number[];
  const times = g.cols[1] as number[];
  g.minTimeUs = Number.POSITIVE_INFINITY;
  g.maxTimeUs = Number.NEGATIVE_INFINITY;
  g.minSeq = Number.POSITIVE_INFINITY;
  g.maxSeq = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < seqs.length; i++) {
    const s = seqs[i]!;
    const t = times[i]!;
    if (s < g.minSeq) g.minSeq = s;
    if (s > g.maxSeq) g.maxSeq = s;
    if (t < g.minTimeUs) g.minTimeUs = t;
    if (t > g.maxTimeUs) g.maxTimeUs = t;
  }
}

/** Trades waiting for the next flush. */
export class TradeBuffer {
  groups = new Map<string, TradeGroup>();
  rows = 0;

  /** Validates and buffers `rows`; on bad input nothing of this call is kept. */
  add(rows: readonly TradeRow[]): void {
    const touched: [TradeGroup, number][] = [];
    // Consecutive rows almost always share venue, symbol and day: compare those instead of
    // building a key string per row.
    let lastVenue = '';
    let lastSymbol = '';
    let lastDay = Number.NaN;
    let g: TradeGroup | undefined;
    let i = 0;
    try {
      for (; i < rows.length; i++) {
        const r = rows[i]!;
        const day = Math.floor(r.timeUs / DAY_US);
        if (g === undefined || day !== lastDay || r.venue !== lastVenue || r.symbol !== lastSymbol) {
          const date = dateOfUs(r.timeUs);
          const key = `${r.venue}|${r.symbol}|${date}`;
          g = this.groups.get(key);
          if (g === undefined) {
            checkName('venue', r.venue);
            checkName('symbol', r.symbol);
            g = newGroup(r.venue, r.symbol, date);
            this.groups.set(key, g);
          }
          if (!touched.some(([t]) => t === g)) touched.push([g, g.cols[0]!.length]);
          lastVenue = r.venue;
          lastSymbol = r.symbol;
          lastDay = day;
        }
        this.push(g, r);
      }
    } catch (err) {
      for (const [t, len] of touched) {
        for (const c of t.cols) c.length = len;
        if (len > 0) recomputeStats(t);
      }
      for (const [k, t] of this.groups) if (t.cols[0]!.length === 0) this.groups.delete(k);
      if (err instanceof InvalidInputError) {
        throw new InvalidInputError(`trades[${i}].${err.field}`, err.message.slice(err.field.length + 2));
      }
      throw err;
    }
    this.rows += rows.length;
  }

  private push(g: TradeGroup, r: TradeRow): void {
    if (!Number.isSafeInteger(r.seq) || r.seq <= 0) {
      throw new InvalidInputError('seq', `${r.seq} is not a positive integer`);
    }
    if (!Number.isSafeInteger(r.timeUs) || r.timeUs <= 0) {
      throw new InvalidInputError('timeUs', `${r.timeUs} is not a positive integer (epoch microseconds)`);
    }
    if (typeof r.tradeId !== 'string' || r.tradeId === '') {
      throw new InvalidInputError('tradeId', 'must be a non-empty string');
    }
    checkDecimal('price', r.price, g.price);
    checkDecimal('quantity', r.quantity, g.quantity);
    const quote = r.quoteQuantity === undefined || r.quoteQuantity === '' ? null : r.quoteQuantity;
    if (quote !== null) checkDecimal('quoteQuantity', quote, g.quote);
    if (r.aggressor !== 0 && r.aggressor !== 1 && r.aggressor !== 2) {
      throw new InvalidInputError('aggressor', `${r.aggressor} is not a Side (0 unspecified, 1 buy, 2 sell)`);
    }
    const idNum = tradeIdNumber(r.tradeId);
    const first =
      r.firstTradeId === undefined || r.firstTradeId === '' ? idNum : tradeIdNumber(r.firstTradeId);
    const last = r.lastTradeId === undefined || r.lastTradeId === '' ? idNum : tradeIdNumber(r.lastTradeId);
    const count = r.tradeCount ?? (first !== null && last !== null ? last - first + 1 : 1);
    if (!Number.isSafeInteger(count) || count < 0 || count > 0xffffffff) {
      throw new InvalidInputError('tradeCount', `${count} is not a count`);
    }
    const c = g.cols;
    c[0]!.push(r.seq);
    c[1]!.push(r.timeUs);
    c[2]!.push(r.tradeId);
    c[3]!.push(r.price);
    c[4]!.push(r.quantity);
    c[5]!.push(quote);
    c[6]!.push(r.aggressor);
    c[7]!.push(first);
    c[8]!.push(last);
    c[9]!.push(count);
    c[10]!.push(r.bestMatch ?? false);
    if (r.seq <= g.maxSeq) g.unordered = true;
    if (r.seq > g.maxSeq) g.maxSeq = r.seq;
    if (r.seq < g.minSeq) g.minSeq = r.seq;
    if (r.timeUs > g.maxTimeUs) g.maxTimeUs = r.timeUs;
    if (r.timeUs < g.minTimeUs) g.minTimeUs = r.timeUs;
  }

  /** Takes everything buffered, leaving the buffer empty. */
  take(): TradeGroup[] {
    const out = [...this.groups.values()];
    this.groups = new Map();
    this.rows = 0;
    return out;
  }

  /** Puts groups back after a failed flush (before anything newer), so nothing accepted is lost. */
  restore(groups: readonly TradeGroup[]): void {
    for (const old of groups) {
      const key = `${old.venue}|${old.symbol}|${old.date}`;
      const newer = this.groups.get(key);
      this.rows += old.cols[0]!.length;
      if (newer === undefined) {
        this.groups.set(key, old);
        continue;
      }
      for (let k = 0; k < old.cols.length; k++) {
        const dst = old.cols[k]!;
        for (const v of newer.cols[k]!) dst.push(v);
      }
      for (const s of ['price', 'quantity', 'quote'] as const) {
        old[s].intDigits = Math.max(old[s].intDigits, newer[s].intDigits);
        old[s].fracDigits = Math.max(old[s].fracDigits, newer[s].fracDigits);
      }
      old.unordered = old.unordered || newer.unordered || newer.minSeq <= old.maxSeq;
      recomputeStats(old);
      this.groups.set(key, old);
    }
  }
}
