/**
 * One partition's buffered trades (venue, symbol, UTC date) as typed column arrays (pure
 * helpers). Columns grow by doubling and are reused from flush to flush (see `TradeBuffer`), so
 * buffering a trade writes a few array slots: no boxed number, no array growth per value, next
 * to nothing for the GC. NaN stands for "none" in number columns.
 */
import {
  concatDecimal,
  type DecimalColumn,
  decimalColumn,
  resetDecimal,
  truncateDecimal,
} from './decimal-stage.ts';

/** One partition's buffered trades: rows `[0, length)` of each column. */
export interface TradeGroup {
  venue: string;
  symbol: string;
  date: string;
  length: number;
  seq: Float64Array;
  timeUs: Float64Array;
  /** Trade ids as numbers (NaN when not a plain integer); `numericIds`: none is NaN. */
  tradeIdNum: Float64Array;
  /** Text of the ids that are not plain integers, by row; null while there is none. */
  tradeId: (string | undefined)[] | null;
  numericIds: boolean;
  readonly price: DecimalColumn;
  readonly quantity: DecimalColumn;
  readonly quote: DecimalColumn;
  side: Uint8Array;
  /** First/last underlying trade ids (NaN: none). */
  firstId: Float64Array;
  lastId: Float64Array;
  count: Float64Array;
  /** 1 true, 0 false. */
  bestMatch: Uint8Array;
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

/** An empty group with room for `capacity` rows. */
export function newGroup(venue: string, symbol: string, date: string, capacity = 1024): TradeGroup {
  return {
    venue,
    symbol,
    date,
    length: 0,
    seq: new Float64Array(capacity),
    timeUs: new Float64Array(capacity),
    tradeIdNum: new Float64Array(capacity),
    tradeId: null,
    numericIds: true,
    price: decimalColumn(capacity),
    quantity: decimalColumn(capacity),
    quote: decimalColumn(capacity),
    side: new Uint8Array(capacity),
    firstId: new Float64Array(capacity),
    lastId: new Float64Array(capacity),
    count: new Float64Array(capacity),
    bestMatch: new Uint8Array(capacity),
    minTimeUs: Number.POSITIVE_INFINITY,
    maxTimeUs: Number.NEGATIVE_INFINITY,
    minSeq: Number.POSITIVE_INFINITY,
    maxSeq: Number.NEGATIVE_INFINITY,
    unordered: false,
  };
}

/** Empties a flushed group for another partition, keeping its arrays. */
export function reuseGroup(g: TradeGroup, venue: string, symbol: string, date: string): TradeGroup {
  g.venue = venue;
  g.symbol = symbol;
  g.date = date;
  g.length = 0;
  g.tradeId = null;
  g.numericIds = true;
  resetDecimal(g.price);
  resetDecimal(g.quantity);
  resetDecimal(g.quote);
  g.minTimeUs = Number.POSITIVE_INFINITY;
  g.maxTimeUs = Number.NEGATIVE_INFINITY;
  g.minSeq = Number.POSITIVE_INFINITY;
  g.maxSeq = Number.NEGATIVE_INFINITY;
  g.unordered = false;
  return g;
}

function grown<T extends Float64Array | Uint8Array>(a: T, cap: number, len: number): T {
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a.subarray(0, len));
  return b;
}

/** Makes room for `need` rows in the non-decimal columns (decimal columns grow on their own). */
export function ensureRows(g: TradeGroup, need: number): void {
  let cap = g.seq.length;
  if (need <= cap) return;
  while (cap < need) cap *= 2;
  const n = g.length;
  g.seq = grown(g.seq, cap, n);
  g.timeUs = grown(g.timeUs, cap, n);
  g.tradeIdNum = grown(g.tradeIdNum, cap, n);
  g.side = grown(g.side, cap, n);
  g.firstId = grown(g.firstId, cap, n);
  g.lastId = grown(g.lastId, cap, n);
  g.count = grown(g.count, cap, n);
  g.bestMatch = grown(g.bestMatch, cap, n);
}

/** Cuts the group back to its first `len` rows (an add that failed half-way through). */
export function truncateGroup(g: TradeGroup, len: number): void {
  g.length = Math.min(g.length, len);
  if (g.tradeId !== null && g.tradeId.length > len) g.tradeId.length = len;
  truncateDecimal(g.price, len);
  truncateDecimal(g.quantity, len);
  truncateDecimal(g.quote, len);
  recomputeStats(g);
}

/** Cuts the decimal columns back to the group's row count (a row failed half-way through). */
export function truncateDecimals(g: TradeGroup): void {
  truncateDecimal(g.price, g.length);
  truncateDecimal(g.quantity, g.length);
  truncateDecimal(g.quote, g.length);
}

/** Appends the rows of `src` to `dst` (same partition), keeping flags and ranges right. */
export function concatGroup(dst: TradeGroup, src: TradeGroup): void {
  const base = dst.length;
  const n = src.length;
  ensureRows(dst, base + n);
  for (const k of ['seq', 'timeUs', 'tradeIdNum', 'firstId', 'lastId', 'count'] as const) {
    dst[k].set(src[k].subarray(0, n), base);
  }
  dst.side.set(src.side.subarray(0, n), base);
  dst.bestMatch.set(src.bestMatch.subarray(0, n), base);
  if (src.tradeId !== null) {
    dst.tradeId ??= [];
    for (let i = 0; i < src.tradeId.length; i++) {
      const t = src.tradeId[i];
      if (t !== undefined) dst.tradeId[base + i] = t;
    }
  }
  concatDecimal(dst.price, src.price);
  concatDecimal(dst.quantity, src.quantity);
  concatDecimal(dst.quote, src.quote);
  dst.length = base + n;
  dst.numericIds = dst.numericIds && src.numericIds;
  dst.unordered = dst.unordered || src.unordered || src.minSeq <= dst.maxSeq;
  recomputeStats(dst);
}

/** Recomputes the time and seq ranges from the rows (after a truncation or concatenation). */
export function recomputeStats(g: TradeGroup): void {
  g.minTimeUs = Number.POSITIVE_INFINITY;
  g.maxTimeUs = Number.NEGATIVE_INFINITY;
  g.minSeq = Number.POSITIVE_INFINITY;
  g.maxSeq = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < g.length; i++) {
    const s = g.seq[i]!;
    const t = g.timeUs[i]!;
    if (s < g.minSeq) g.minSeq = s;
    if (s > g.maxSeq) g.maxSeq = s;
    if (t < g.minTimeUs) g.minTimeUs = t;
    if (t > g.maxTimeUs) g.maxTimeUs = t;
  }
}
