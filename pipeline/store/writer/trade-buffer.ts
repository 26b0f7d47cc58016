/**
 * Buffered trades, already split per partition (venue, symbol, UTC date) as column arrays, so a
 * flush hands each partition to DuckDB without another pass over row objects. Decimals are kept
 * both as the caller's strings (references, no copy) and as their digits (a number), so a flush
 * can stage them as numbers when they fit, which DuckDB ingests several times faster.
 */
import { InvalidInputError } from '../../../core/errors.ts';
import type { ScannedDecimal } from '../decimal.ts';
import { checkName, dateOfUs } from '../layout.ts';
import type { TradeRow } from '../types.ts';
import { type DecimalColumn, decimalColumn, pushDecimal } from './decimal-stage.ts';

/** One partition's buffered trades. */
export interface TradeGroup {
  readonly venue: string;
  readonly symbol: string;
  readonly date: string;
  readonly seq: number[];
  readonly timeUs: number[];
  readonly tradeId: string[];
  /** Trade ids as numbers; `numericIds` says whether every id was a plain integer. */
  readonly tradeIdNum: (number | null)[];
  numericIds: boolean;
  readonly price: DecimalColumn;
  readonly quantity: DecimalColumn;
  readonly quote: DecimalColumn;
  readonly side: number[];
  readonly firstId: (number | null)[];
  readonly lastId: (number | null)[];
  readonly count: number[];
  readonly bestMatch: boolean[];
  minTimeUs: number;
  maxTimeUs: number;
  minSeq: number;
  maxSeq: number;
  /** A seq arrived at or below the group's max: the flush sorts and drops duplicate seqs. */
  unordered: boolean;
}

const DAY_US = 86_400_000_000;

/** A venue trade id as a number when it is a plain safe integer, else null (then gaps are not tracked). */
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

function newGroup(venue: string, symbol: string, date: string): TradeGroup {
  return {
    venue,
    symbol,
    date,
    seq: [],
    timeUs: [],
    tradeId: [],
    tradeIdNum: [],
    numericIds: true,
    price: decimalColumn(),
    quantity: decimalColumn(),
    quote: decimalColumn(),
    side: [],
    firstId: [],
    lastId: [],
    count: [],
    bestMatch: [],
    minTimeUs: Number.POSITIVE_INFINITY,
    maxTimeUs: Number.NEGATIVE_INFINITY,
    minSeq: Number.POSITIVE_INFINITY,
    maxSeq: Number.NEGATIVE_INFINITY,
    unordered: false,
  };
}

/** Every array of a group, for truncation and concatenation. */
function arraysOf(g: TradeGroup): unknown[][] {
  const d = (c: DecimalColumn) => [c.text, c.digits, c.frac];
  return [
    g.seq,
    g.timeUs,
    g.tradeId,
    g.tradeIdNum,
    ...d(g.price),
    ...d(g.quantity),
    ...d(g.quote),
    g.side,
    g.firstId,
    g.lastId,
    g.count,
    g.bestMatch,
  ];
}

function recomputeStats(g: TradeGroup): void {
  g.minTimeUs = Number.POSITIVE_INFINITY;
  g.maxTimeUs = Number.NEGATIVE_INFINITY;
  g.minSeq = Number.POSITIVE_INFINITY;
  g.maxSeq = Number.NEGATIVE_INFINITY;
  // Loops, not Math.min(...xs): a buffer can hold more values than the call stack takes.
  for (let i = 0; i < g.seq.length; i++) {
    const s = g.seq[i]!;
    const t = g.timeUs[i]!;
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
  private readonly scratch: ScannedDecimal = { digits: 0, frac: 0 };

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
          if (!Number.isSafeInteger(r.timeUs) || r.timeUs <= 0) {
            throw new InvalidInputError(
              'timeUs',
              `${r.timeUs} is not a positive integer (epoch microseconds)`,
            );
          }
          const date = dateOfUs(r.timeUs);
          const key = `${r.venue}|${r.symbol}|${date}`;
          g = this.groups.get(key);
          if (g === undefined) {
            checkName('venue', r.venue);
            checkName('symbol', r.symbol);
            g = newGroup(r.venue, r.symbol, date);
            this.groups.set(key, g);
          }
          if (!touched.some(([t]) => t === g)) touched.push([g, g.seq.length]);
          lastVenue = r.venue;
          lastSymbol = r.symbol;
          lastDay = day;
        }
        this.push(g, r);
      }
    } catch (err) {
      for (const [t, len] of touched) {
        for (const a of arraysOf(t)) a.length = len;
        recomputeStats(t);
      }
      for (const [k, t] of this.groups) if (t.seq.length === 0) this.groups.delete(k);
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
    // Validate every decimal before pushing anything, so a bad row leaves no partial column.
    const len = g.seq.length;
    try {
      pushDecimal('price', g.price, r.price, this.scratch);
      pushDecimal('quantity', g.quantity, r.quantity, this.scratch);
      const quote = r.quoteQuantity === undefined || r.quoteQuantity === '' ? null : r.quoteQuantity;
      pushDecimal('quoteQuantity', g.quote, quote, this.scratch);
    } catch (err) {
      for (const c of [g.price, g.quantity, g.quote]) {
        c.text.length = len;
        c.digits.length = len;
        c.frac.length = len;
      }
      throw err;
    }
    g.seq.push(r.seq);
    g.timeUs.push(r.timeUs);
    g.tradeId.push(r.tradeId);
    g.tradeIdNum.push(idNum);
    if (idNum === null) g.numericIds = false;
    g.side.push(r.aggressor);
    g.firstId.push(first);
    g.lastId.push(last);
    g.count.push(count);
    g.bestMatch.push(r.bestMatch ?? false);
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
      this.rows += old.seq.length;
      if (newer === undefined) {
        this.groups.set(key, old);
        continue;
      }
      const dst = arraysOf(old);
      const src = arraysOf(newer);
      for (let k = 0; k < dst.length; k++) for (const v of src[k]!) dst[k]!.push(v);
      for (const s of ['price', 'quantity', 'quote'] as const) {
        old[s].shape.intDigits = Math.max(old[s].shape.intDigits, newer[s].shape.intDigits);
        old[s].shape.fracDigits = Math.max(old[s].shape.fracDigits, newer[s].shape.fracDigits);
      }
      old.numericIds = old.numericIds && newer.numericIds;
      old.unordered = old.unordered || newer.unordered || newer.minSeq <= old.maxSeq;
      recomputeStats(old);
      this.groups.set(key, old);
    }
  }
}
