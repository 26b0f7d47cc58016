/**
 * The trade hot path: a combined-stream `trade` frame's bytes straight to its norm.trade
 * envelope bytes, with no JSON.parse, no intermediate strings and one exactly-sized buffer.
 * Prices and quantities are canonical sub-ranges of the venue's strings; the trade id is copied
 * as digits; everything fixed per venue and symbol (key, event-id prefix, venue and symbol
 * fields) is cached. Frames outside the common shape return BAIL and take the general path
 * (normalizeTrade), which then decides; for accepted frames the bytes equal the general path's
 * (trade-bytes.test.ts checks every recorded trade). Field tags are proto/wire-layout.ts's. The
 * caches and scratch objects belong to each {@link createTradeBytesNormalizer}, not the module.
 */
import { EventType, SCHEMA_VERSION, seriesKey } from '../../../../proto/index.ts';
import { fieldSize, varintSize, writeBytes, writeRange, writeVarint } from '../../../../proto/wire.ts';
import { EnvelopeTag, TradeTag } from '../../../../proto/wire-layout.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { tradeBytesFit } from '../../trade-values.ts';
import { VARINT8_END, VARINT8_MIN, writeVarint8 } from '../fixed-width.ts';
import { createSlabAllocator, type SlabAllocator } from '../slab.ts';
import { NORM_TOPICS } from '../streams.ts';
import { DecimalRange, QuoteQuantity } from './decimal-bytes.ts';
import { type NormalizeContext, QUANTITY_IN_CONTRACTS } from './envelope.ts';
import { type CompactTradeScanner, createCompactTradeScanner } from './trade-compact.ts';
import { scanTradeFrame, TradeFrameScan } from './trade-scan.ts';

/** Outcomes of a {@link TradeBytesNormalizer}. */
export const TRADE_PUSHED = 1;
export const TRADE_SKIPPED = 0;
export const TRADE_BAIL = -1;

interface SymbolEntry {
  readonly venue: string;
  readonly symbolBytes: Buffer;
  readonly key: string;
  readonly contracts: boolean;
  /** UTF-8 of `VENUE:SYMBOL:trade:`. */
  readonly idPrefix: Buffer;
  /** Envelope fields 2-4 and the tag of field 5. */
  readonly middle: Buffer;
  /**
   * Cache of the record's start for trade ids of `headDigits` digits: field 1's tag and length,
   * `idPrefix`, room for the id, `middle`.
   */
  head: Buffer;
  headDigits: number;
}

const MAX_CACHED = 4096;
const EVENT_TRADE = Buffer.from('trade');
const MARKET = Buffer.from('MARKET');

/**
 * Is `buf[from, to)` equal to `bytes`? proto/wire.ts's rangeEquals, kept local so its loads
 * see only this path's Buffers (the shared one is also called on other kinds of arrays).
 */
function sameBytes(buf: Uint8Array, from: number, to: number, bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (to - from !== n) return false;
  for (let i = 0; i < n; i++) if (buf[from + i] !== bytes[i]) return false;
  return true;
}

function delimited(tag: number, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(fieldSize(body.length));
  out[0] = tag;
  writeBytes(out, writeVarint(out, 1, body.length), body);
  return out;
}

/** The entries of the symbols seen, and the last one (frames of one symbol come in runs). */
interface SymbolCache {
  readonly symbols: Map<string, SymbolEntry>;
  last: SymbolEntry | undefined;
}

function symbolEntry(
  cache: SymbolCache,
  venue: string,
  buf: Uint8Array,
  from: number,
  to: number,
): SymbolEntry {
  const { symbols } = cache;
  const last = cache.last;
  if (last !== undefined && last.venue === venue && sameBytes(buf, from, to, last.symbolBytes)) return last;
  const symbol = Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
  const id = `${venue}\u0000${symbol}`;
  let entry = symbols.get(id);
  if (entry === undefined) {
    if (symbols.size >= MAX_CACHED) symbols.clear();
    entry = {
      venue,
      symbolBytes: Buffer.from(symbol, 'latin1'),
      key: seriesKey(venue, symbol),
      contracts: QUANTITY_IN_CONTRACTS.has(venue),
      idPrefix: Buffer.from(`${venue}:${symbol}:${EventType.trade}:`, 'utf8'),
      middle: Buffer.concat([
        delimited(EnvelopeTag.eventType, EventType.trade),
        delimited(EnvelopeTag.venue, venue),
        delimited(EnvelopeTag.symbol, symbol),
        Buffer.from([EnvelopeTag.observedAtUs]),
      ]),
      head: Buffer.alloc(0),
      headDigits: -1,
    };
    symbols.set(id, entry);
  }
  cache.last = entry;
  return entry;
}

/** {@link SymbolEntry.head} for trade ids of `idDigits` digits. */
function headOf(entry: SymbolEntry, idDigits: number): Buffer {
  const idLength = entry.idPrefix.length + idDigits;
  const head = Buffer.alloc(fieldSize(idLength) + entry.middle.length);
  head[0] = EnvelopeTag.eventId;
  const pos = writeBytes(head, writeVarint(head, 1, idLength), entry.idPrefix);
  writeBytes(head, pos + idDigits, entry.middle);
  entry.head = head;
  entry.headDigits = idDigits;
  return head;
}

/** Envelope field 10 (the stream) of each stream seen, and the last one. */
interface StreamTails {
  readonly tails: Map<string, Buffer>;
  lastStream: string;
  lastTail: Buffer | undefined;
}

function streamTail(cache: StreamTails, stream: string): Buffer {
  if (stream === cache.lastStream && cache.lastTail !== undefined) return cache.lastTail;
  const streamTails = cache.tails;
  let tail = streamTails.get(stream);
  if (tail === undefined) {
    if (streamTails.size >= MAX_CACHED) streamTails.clear();
    tail = delimited(EnvelopeTag.stream, stream);
    streamTails.set(stream, tail);
  }
  cache.lastStream = stream;
  cache.lastTail = tail;
  return tail;
}

const SCHEMA_VERSION_SIZE = varintSize(SCHEMA_VERSION);

/** What one trade-bytes normalizer keeps between frames: caches, scratch objects, its slabs. */
interface TradeBytesState {
  readonly fields: TradeFrameScan;
  readonly price: DecimalRange;
  readonly quantity: DecimalRange;
  readonly quote: QuoteQuantity;
  readonly scanCompactTrade: CompactTradeScanner;
  readonly symbols: SymbolCache;
  readonly streams: StreamTails;
  /** Record buffers: views of shared slabs (norm records travel in batches, as raw ones do). */
  readonly allocate: SlabAllocator;
}

/**
 * Normalizes the trade frame in `buf[start, end)` straight to bytes: TRADE_PUSHED (one record
 * appended to `out`), TRADE_SKIPPED (a valid non-MARKET futures trade) or TRADE_BAIL (nothing
 * done: not the common shape, or invalid; the general path must handle it).
 */
export type TradeBytesNormalizer = (
  buf: Uint8Array,
  start: number,
  end: number,
  ctx: NormalizeContext,
  out: BusRecord[],
) => number;

/** A new {@link TradeBytesNormalizer}, with its own caches and record slabs. */
export function createTradeBytesNormalizer(): TradeBytesNormalizer {
  const state: TradeBytesState = {
    fields: new TradeFrameScan(),
    price: new DecimalRange(),
    quantity: new DecimalRange(),
    quote: new QuoteQuantity(),
    scanCompactTrade: createCompactTradeScanner(),
    symbols: { symbols: new Map(), last: undefined },
    streams: { tails: new Map(), lastStream: '', lastTail: undefined },
    allocate: createSlabAllocator(),
  };
  return (buf, start, end, ctx, out) => normalizeTradeBytes(state, buf, start, end, ctx, out);
}

/** The varint of a µs time: unrolled for the 8-byte ones (every time since 1987). */
function writeTime(buf: Uint8Array, pos: number, n: number): number {
  return n >= VARINT8_MIN && n < VARINT8_END ? writeVarint8(buf, pos, n) : writeVarint(buf, pos, n);
}

function isTime(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function normalizeTradeBytes(
  s: TradeBytesState,
  buf: Uint8Array,
  start: number,
  end: number,
  ctx: NormalizeContext,
  out: BusRecord[],
): number {
  const { fields: f, price, quantity, quote, scanCompactTrade, allocate } = s;
  // The compact form Binance sends reads its decimals while scanning; any other form is
  // scanned in general and its decimals read after.
  const compact = scanCompactTrade(f, price, quantity, buf, start, end);
  if (!compact && !scanTradeFrame(f, buf, start, end)) return TRADE_BAIL;
  if (f.eS < 0 || !sameBytes(buf, f.eS, f.eE, EVENT_TRADE)) return TRADE_BAIL;
  if (f.sS < 0 || f.sE === f.sS || !f.sAscii || f.pS < 0 || f.qS < 0 || f.tS < 0) return TRADE_BAIL;
  if (f.tradeTime < 0 || f.eventTime < 0 || f.m < 0) return TRADE_BAIL;
  if (f.xS >= 0 && !sameBytes(buf, f.xS, f.xE, MARKET)) return TRADE_SKIPPED;
  const timeUs = f.tradeTime * 1000;
  const observedAtUs = f.eventTime * 1000;
  const ingestedAtUs = ctx.ingestedAtUs;
  if (!isTime(timeUs) || !isTime(observedAtUs) || !isTime(ingestedAtUs)) return TRADE_BAIL;
  if (!compact && (!price.read(buf, f.pS, f.pE) || !quantity.read(buf, f.qS, f.qE))) return TRADE_BAIL;
  const entry = symbolEntry(s.symbols, ctx.venue, buf, f.sS, f.sE);
  if (entry.contracts) quote.none();
  else quote.multiply(buf, price, quantity);
  // Zero, or too wide for the store: the text path refuses it, saying which field and why.
  if (!tradeBytesFit(buf, price, quantity, quote)) return TRADE_BAIL;
  const tail = streamTail(s.streams, ctx.stream);

  const { tS, tE } = f;
  const idDigits = tE - tS;
  const head = entry.headDigits === idDigits ? entry.head : headOf(entry, idDigits);
  const priceLength = price.end - price.start;
  const quantityLength = quantity.end - quantity.start;
  const payload =
    fieldSize(idDigits) +
    fieldSize(priceLength) +
    fieldSize(quantityLength) +
    fieldSize(quote.length) +
    2 + // aggressor
    1 +
    varintSize(timeUs) +
    2 + // trade_count 1
    2; // best_match
  const size =
    head.length +
    varintSize(observedAtUs) +
    1 +
    varintSize(ingestedAtUs) +
    1 +
    SCHEMA_VERSION_SIZE +
    fieldSize(payload) +
    tail.length;
  const value = allocate(size);
  // event_id (prefix, then the trade id's digits), event_type, venue, symbol, tag of observed_at_us
  value.set(head, 0);
  writeRange(value, head.length - entry.middle.length - idDigits, buf, tS, tE);
  let pos = writeTime(value, head.length, observedAtUs);
  value[pos++] = EnvelopeTag.ingestedAtUs;
  pos = writeTime(value, pos, ingestedAtUs);
  value[pos++] = EnvelopeTag.schemaVersion;
  pos = writeVarint(value, pos, SCHEMA_VERSION);
  value[pos++] = EnvelopeTag.payload; // a Trade
  pos = writeVarint(value, pos, payload);
  value[pos++] = TradeTag.tradeId;
  value[pos++] = idDigits; // < 128: at most 16 digits
  pos = writeRange(value, pos, buf, tS, tE);
  value[pos++] = TradeTag.price;
  pos = writeVarint(value, pos, priceLength);
  pos = writeRange(value, pos, buf, price.start, price.end);
  value[pos++] = TradeTag.quantity;
  pos = writeVarint(value, pos, quantityLength);
  pos = writeRange(value, pos, buf, quantity.start, quantity.end);
  value[pos++] = TradeTag.quoteQuantity;
  pos = writeVarint(value, pos, quote.length);
  pos = quote.write(value, pos);
  value[pos++] = TradeTag.aggressor; // m (buyer is maker) -> SIDE_SELL (2), else SIDE_BUY (1)
  value[pos++] = f.m === 1 ? 2 : 1;
  value[pos++] = TradeTag.timeUs;
  pos = writeTime(value, pos, timeUs);
  value[pos++] = TradeTag.tradeCount;
  value[pos++] = 1;
  value[pos++] = TradeTag.bestMatch;
  value[pos++] = f.bestMatch === 1 ? 1 : 0;
  writeBytes(value, pos, tail);
  out.push({ topic: NORM_TOPICS.trade, key: entry.key, value });
  return TRADE_PUSHED;
}
