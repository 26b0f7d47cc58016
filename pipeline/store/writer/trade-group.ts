/**
 * One partition's buffered trades (venue, symbol, UTC date) as column arrays (pure helpers).
 * Number columns are plain double arrays with NaN for "none" (never null), so V8 keeps them
 * unboxed: no heap number per trade id or price digits, far less for the GC to do.
 */
import { type DecimalColumn, decimalColumn, truncateDecimal } from './decimal-stage.ts';

/** One partition's buffered trades. */
export interface TradeGroup {
  readonly venue: string;
  readonly symbol: string;
  readonly date: string;
  readonly seq: number[];
  readonly timeUs: number[];
  /**
   * Trade ids as text where not numeric (or given as strings); undefined where `tradeIdNum`
   * holds the id (its text is `String(tradeIdNum[i])`).
   */
  readonly tradeId: (string | undefined)[];
  /** Trade ids as numbers (NaN when not a plain integer); `numericIds`: none is NaN. */
  readonly tradeIdNum: number[];
  numericIds: boolean;
  readonly price: DecimalColumn;
  readonly quantity: DecimalColumn;
  readonly quote: DecimalColumn;
  readonly side: number[];
  /** First/last underlying trade ids (NaN: none). */
  readonly firstId: number[];
  readonly lastId: number[];
  readonly count: number[];
  readonly bestMatch: boolean[];
  minTimeUs: number;
  maxTimeUs: number;
  minSeq: number;
  maxSeq: number;
  /** A seq arrived at or below the group's max: the flush sorts and drops duplicate seqs. */
  unordered: boolean;
}

/** A venue trade id as a number when it is a plain safe integer, else NaN (then gaps are not tracked). */
export function tradeIdNumber(id: string | undefined): number {
  if (id === undefined || id === '' || id.length > 16) return Number.NaN;
  // Plain digits without a leading zero only (so the number prints back as the same id).
  if (id.length > 1 && id.charCodeAt(0) === 48) return Number.NaN;
  let n = 0;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return Number.NaN;
    n = n * 10 + (c - 48);
  }
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

/** {@link tradeIdNumber} of the text `buf[start, end)`. */
export function tradeIdNumberBytes(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len === 0 || len > 16) return Number.NaN;
  if (len > 1 && buf[start] === 48) return Number.NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return Number.NaN;
    n = n * 10 + (c - 48);
  }
  return Number.isSafeInteger(n) ? n : Number.NaN;
}

/** An empty group. */
export function newGroup(venue: string, symbol: string, date: string): TradeGroup {
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
export function arraysOf(g: TradeGroup): unknown[][] {
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

/** Cuts the decimal columns back to the group's row count (a row failed half-way through). */
export function truncateDecimals(g: TradeGroup): void {
  const len = g.seq.length;
  truncateDecimal(g.price, len);
  truncateDecimal(g.quantity, len);
  truncateDecimal(g.quote, len);
}

/** Recomputes the time and seq ranges from the rows (after a truncation or concatenation). */
export function recomputeStats(g: TradeGroup): void {
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
