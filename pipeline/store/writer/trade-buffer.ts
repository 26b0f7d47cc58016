/**
 * Buffered trades, already split per partition (venue, symbol, UTC date) as typed column arrays
 * (trade-group.ts), so a flush hands each partition to DuckDB without another pass over row
 * objects. Decimals are kept as their digits (a number), so a flush can stage them as numbers
 * when they fit, which DuckDB ingests several times faster. Trades come as rows of strings
 * (`add`) or as byte ranges of a bus record (`pushBytes`: no string per price, size or numeric
 * id). Groups a flush is done with come back through `recycle`, so steady buffering allocates
 * nothing per trade.
 */

import type { ScannedDecimal } from '../../../core/decimal/index.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { checkName, dateOfUs } from '../layout.ts';
import type { TradeBytes, TradeRow } from '../types.ts';
import { pushDecimal, pushDecimalBytes } from './decimal-stage.ts';
import {
  concatGroup,
  ensureRows,
  newGroup,
  reuseGroup,
  type TradeGroup,
  tradeIdNumber,
  tradeIdNumberBytes,
  truncateDecimals,
  truncateGroup,
} from './trade-group.ts';

export { type TradeGroup, tradeIdNumber } from './trade-group.ts';

const DAY_US = 86_400_000_000;
/** Flushed groups kept for reuse (one per partition a flush usually writes, and a few more). */
const POOL_SIZE = 8;

function checkTime(timeUs: number): void {
  if (!Number.isSafeInteger(timeUs) || timeUs <= 0) {
    throw new InvalidInputError('timeUs', `${timeUs} is not a positive integer (epoch microseconds)`);
  }
}

function checkSeqSide(seq: number, aggressor: number): void {
  if (!Number.isSafeInteger(seq) || seq <= 0) {
    throw new InvalidInputError('seq', `${seq} is not a positive integer`);
  }
  if (aggressor !== 0 && aggressor !== 1 && aggressor !== 2) {
    throw new InvalidInputError('aggressor', `${aggressor} is not a Side (0 unspecified, 1 buy, 2 sell)`);
  }
}

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 0 || count > 0xffffffff) {
    throw new InvalidInputError('tradeCount', `${count} is not a count`);
  }
}

/** Text of the bytes `buf[start, end)` (UTF-8; ASCII in practice). */
function bytesText(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}

/** Appends the non-decimal fields of a validated trade (its decimals are pushed already). */
function appendRest(
  g: TradeGroup,
  seq: number,
  timeUs: number,
  idText: string | undefined,
  idNum: number,
  side: number,
  first: number,
  last: number,
  count: number,
  bestMatch: boolean,
): void {
  const i = g.length;
  if (i === g.seq.length) ensureRows(g, i + 1);
  g.seq[i] = seq;
  g.timeUs[i] = timeUs;
  g.tradeIdNum[i] = idNum;
  if (Number.isNaN(idNum)) {
    g.numericIds = false;
    g.tradeId ??= [];
    g.tradeId[i] = idText;
  }
  g.side[i] = side;
  g.firstId[i] = first;
  g.lastId[i] = last;
  g.count[i] = count;
  g.bestMatch[i] = bestMatch ? 1 : 0;
  g.length = i + 1;
  if (seq <= g.maxSeq) g.unordered = true;
  if (seq > g.maxSeq) g.maxSeq = seq;
  if (seq < g.minSeq) g.minSeq = seq;
  if (timeUs > g.maxTimeUs) g.maxTimeUs = timeUs;
  if (timeUs < g.minTimeUs) g.minTimeUs = timeUs;
}

/** Trades waiting for the next flush. */
export class TradeBuffer {
  groups = new Map<string, TradeGroup>();
  rows = 0;
  private readonly scratch: ScannedDecimal = { digits: 0, frac: 0 };
  private readonly pool: TradeGroup[] = [];
  /** The group `pushBytes` wrote last, and its venue, symbol and day (consecutive trades share them). */
  private last: { g: TradeGroup; venue: string; symbol: string; day: number } | undefined;

  /** The group of (venue, symbol, day of `timeUs`), created (names checked) when new. */
  private groupOf(venue: string, symbol: string, timeUs: number): TradeGroup {
    checkTime(timeUs);
    const date = dateOfUs(timeUs);
    const key = `${venue}|${symbol}|${date}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      checkName('venue', venue);
      checkName('symbol', symbol);
      const free = this.pool.pop();
      g = free === undefined ? newGroup(venue, symbol, date) : reuseGroup(free, venue, symbol, date);
      this.groups.set(key, g);
    }
    return g;
  }

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
          g = this.groupOf(r.venue, r.symbol, r.timeUs);
          if (!touched.some(([t]) => t === g)) touched.push([g, g.length]);
          lastVenue = r.venue;
          lastSymbol = r.symbol;
          lastDay = day;
        }
        this.push(g, r);
      }
    } catch (err) {
      for (const [t, len] of touched) truncateGroup(t, len);
      for (const [k, t] of this.groups) if (t.length === 0) this.groups.delete(k);
      this.last = undefined;
      if (err instanceof InvalidInputError) {
        throw new InvalidInputError(`trades[${i}].${err.field}`, err.message.slice(err.field.length + 2));
      }
      throw err;
    }
    this.rows += rows.length;
  }

  private push(g: TradeGroup, r: TradeRow): void {
    checkSeqSide(r.seq, r.aggressor);
    checkTime(r.timeUs);
    if (typeof r.tradeId !== 'string' || r.tradeId === '') {
      throw new InvalidInputError('tradeId', 'must be a non-empty string');
    }
    const idNum = tradeIdNumber(r.tradeId);
    const first =
      r.firstTradeId === undefined || r.firstTradeId === '' ? idNum : tradeIdNumber(r.firstTradeId);
    const last = r.lastTradeId === undefined || r.lastTradeId === '' ? idNum : tradeIdNumber(r.lastTradeId);
    const count = r.tradeCount ?? (Number.isNaN(first) || Number.isNaN(last) ? 1 : last - first + 1);
    checkCount(count);
    // Validate every decimal before pushing anything, so a bad row leaves no partial column.
    try {
      pushDecimal('price', g.price, r.price, this.scratch);
      pushDecimal('quantity', g.quantity, r.quantity, this.scratch);
      const quote = r.quoteQuantity === undefined || r.quoteQuantity === '' ? null : r.quoteQuantity;
      pushDecimal('quoteQuantity', g.quote, quote, this.scratch);
    } catch (err) {
      truncateDecimals(g);
      throw err;
    }
    appendRest(g, r.seq, r.timeUs, r.tradeId, idNum, r.aggressor, first, last, count, r.bestMatch ?? false);
  }

  /**
   * Validates and buffers one trade given as byte ranges (see {@link TradeBytes}); on bad input
   * it throws InvalidInputError and keeps nothing of it.
   */
  pushBytes(t: TradeBytes): void {
    checkSeqSide(t.seq, t.aggressor);
    checkTime(t.timeUs);
    checkCount(t.tradeCount);
    const b = t.bytes;
    const s = t.spans;
    const idStart = s[0]!;
    const idEnd = s[1]!;
    if (idStart === idEnd) throw new InvalidInputError('tradeId', 'must be a non-empty string');
    const idNum = tradeIdNumberBytes(b, idStart, idEnd);
    const first = s[8] === s[9] ? idNum : tradeIdNumberBytes(b, s[8]!, s[9]!);
    const last = s[10] === s[11] ? idNum : tradeIdNumberBytes(b, s[10]!, s[11]!);
    const day = Math.floor(t.timeUs / DAY_US);
    let cached = this.last;
    if (
      cached === undefined ||
      cached.day !== day ||
      cached.venue !== t.venue ||
      cached.symbol !== t.symbol
    ) {
      cached = { g: this.groupOf(t.venue, t.symbol, t.timeUs), venue: t.venue, symbol: t.symbol, day };
      this.last = cached;
    }
    const g = cached.g;
    try {
      pushDecimalBytes('price', g.price, b, s[2]!, s[3]!, this.scratch);
      pushDecimalBytes('quantity', g.quantity, b, s[4]!, s[5]!, this.scratch);
      pushDecimalBytes('quoteQuantity', g.quote, b, s[6]!, s[7]!, this.scratch);
    } catch (err) {
      truncateDecimals(g);
      if (g.length === 0) {
        // A group this trade opened: it must not reach a flush empty.
        this.groups.delete(`${g.venue}|${g.symbol}|${g.date}`);
        this.last = undefined;
      }
      throw err;
    }
    const idText = !Number.isNaN(idNum) ? undefined : bytesText(b, idStart, idEnd);
    appendRest(g, t.seq, t.timeUs, idText, idNum, t.aggressor, first, last, t.tradeCount, t.bestMatch);
    this.rows++;
  }

  /** Takes everything buffered, leaving the buffer empty. */
  take(): TradeGroup[] {
    const out = [...this.groups.values()];
    this.groups = new Map();
    this.rows = 0;
    this.last = undefined;
    return out;
  }

  /** Puts groups back after a failed flush (before anything newer), so nothing accepted is lost. */
  restore(groups: readonly TradeGroup[]): void {
    this.last = undefined;
    for (const old of groups) {
      const key = `${old.venue}|${old.symbol}|${old.date}`;
      const newer = this.groups.get(key);
      this.rows += old.length;
      if (newer !== undefined) {
        concatGroup(old, newer);
        this.recycle([newer]);
      }
      this.groups.set(key, old);
    }
  }

  /** Takes back groups a flush has committed (their arrays are reused; the caller keeps no reference). */
  recycle(groups: readonly TradeGroup[]): void {
    for (const g of groups) if (this.pool.length < POOL_SIZE) this.pool.push(g);
  }
}
