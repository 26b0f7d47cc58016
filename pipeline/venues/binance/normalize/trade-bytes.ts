/**
 * The trade hot path: a combined-stream `trade` frame's bytes straight to its norm.trade
 * envelope bytes, with no JSON.parse, no intermediate strings and one exactly-sized buffer.
 * Prices and quantities are canonical sub-ranges of the venue's strings; the trade id is copied
 * as digits; everything fixed per venue and symbol (key, event-id prefix, venue and symbol
 * fields) is cached. Frames outside the common shape return BAIL and take the general path
 * (normalizeTrade), which then decides; for accepted frames the bytes equal the general path's
 * (trade-bytes.test.ts checks every recorded trade).
 */
import { EventType, SCHEMA_VERSION, seriesKey } from '../../../../proto/index.ts';
import type { BusRecord } from '../../../bus/types.ts';
import { NORM_TOPICS } from '../streams.ts';
import { mulDecimal } from './decimal.ts';
import { type NormalizeContext, QUANTITY_IN_CONTRACTS } from './envelope.ts';
import { scanNumber, scanned, scanString, skipBool, skipScalar, skipWs } from './json-scan.ts';
import {
  digitCount,
  fieldSize,
  rangeEquals,
  varintSize,
  writeBytes,
  writeDigits,
  writeRange,
  writeVarint,
} from './wire.ts';

/** Outcomes of {@link normalizeTradeBytes}. */
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
}

const MAX_CACHED = 4096;
const EVENT_TRADE = Buffer.from('trade');
const MARKET = Buffer.from('MARKET');
const symbols = new Map<string, SymbolEntry>();
const streamTails = new Map<string, Buffer>();
let lastSymbol: SymbolEntry | undefined;

function delimited(tag: number, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(fieldSize(body.length));
  out[0] = tag;
  writeBytes(out, writeVarint(out, 1, body.length), body);
  return out;
}

function symbolEntry(venue: string, buf: Uint8Array, from: number, to: number): SymbolEntry {
  const last = lastSymbol;
  if (last !== undefined && last.venue === venue && rangeEquals(buf, from, to, last.symbolBytes)) return last;
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
        delimited(18, EventType.trade),
        delimited(26, venue),
        delimited(34, symbol),
        Buffer.from([40]),
      ]),
    };
    symbols.set(id, entry);
  }
  lastSymbol = entry;
  return entry;
}

function streamTail(stream: string): Buffer {
  let tail = streamTails.get(stream);
  if (tail === undefined) {
    if (streamTails.size >= MAX_CACHED) streamTails.clear();
    tail = delimited(82, stream);
    streamTails.set(stream, tail);
  }
  return tail;
}

// Field slots of the frame being read (the scanner is synchronous and not re-entrant).
let eS = -1,
  eE = -1,
  sS = -1,
  sE = -1,
  pS = -1,
  pE = -1,
  qS = -1,
  qE = -1,
  xS = -1,
  xE = -1;
let tS = -1,
  tE = -1,
  tV = -1,
  bigT = -1,
  bigE = -1,
  m = -1,
  bestM = -1,
  seen = 0,
  sAscii = true;

/** Reads the value of data field `key` at `pos`; returns the index after it or -1. */
function readField(buf: Uint8Array, key: number, pos: number, end: number): number {
  const bit = key === 116 ? 1 : key === 84 ? 2 : key === 69 ? 4 : key === 109 ? 8 : 0;
  if (bit !== 0) {
    if ((seen & bit) !== 0) return -1;
    seen |= bit;
    if (bit === 8) {
      m = buf[pos] === 116 ? 1 : 0;
      return skipBool(buf, pos, end);
    }
    const after = scanNumber(buf, pos, end);
    if (after < 0 || scanned.uint < 0) return -1;
    if (bit === 1) {
      tS = pos;
      tE = after;
      tV = scanned.uint;
    } else if (bit === 2) bigT = scanned.uint;
    else bigE = scanned.uint;
    return after;
  }
  if (key === 77 /* M */) {
    if (bestM >= 0) return -1;
    bestM = buf[pos] === 116 ? 1 : 0;
    return skipBool(buf, pos, end);
  }
  if (buf[pos] !== 34) return -1;
  const close = scanString(buf, pos + 1, end);
  if (close < 0) return -1;
  const from = pos + 1;
  if (key === 101 /* e */) {
    if (eS >= 0) return -1;
    eS = from;
    eE = close;
  } else if (key === 115 /* s */) {
    if (sS >= 0) return -1;
    sS = from;
    sE = close;
    sAscii = scanned.ascii;
  } else if (key === 112 /* p */) {
    if (pS >= 0) return -1;
    pS = from;
    pE = close;
  } else if (key === 113 /* q */) {
    if (qS >= 0) return -1;
    qS = from;
    qE = close;
  } else if (key === 88 /* X */) {
    if (xS >= 0) return -1;
    xS = from;
    xE = close;
  } else return -1;
  return close + 1;
}

/** One-letter data keys the trade reads: e s p q X t T E m M. */
const TRACKED = new Uint8Array(128);
for (const c of 'espqXtTEmM') TRACKED[c.charCodeAt(0)] = 1;

/** Reads the `data` object at `pos` into the slots; returns the index after it or -1. */
function readData(buf: Uint8Array, pos: number, end: number): number {
  eS = sS = pS = qS = xS = tS = -1;
  bigT = bigE = m = bestM = -1;
  seen = 0;
  pos = skipWs(buf, pos + 1, end);
  if (buf[pos] === 125) return pos + 1;
  for (;;) {
    if (buf[pos] !== 34) return -1;
    const close = scanString(buf, pos + 1, end);
    if (close < 0) return -1;
    const key = close === pos + 2 ? buf[pos + 1]! : -1;
    pos = skipWs(buf, close + 1, end);
    if (buf[pos] !== 58) return -1;
    pos = skipWs(buf, pos + 1, end);
    pos = key >= 0 && TRACKED[key] === 1 ? readField(buf, key, pos, end) : skipScalar(buf, pos, end);
    if (pos < 0) return -1;
    pos = skipWs(buf, pos, end);
    if (buf[pos] === 125) return pos + 1;
    if (buf[pos] !== 44) return -1;
    pos = skipWs(buf, pos + 1, end);
  }
}

const STREAM = Buffer.from('stream');
const DATA = Buffer.from('data');

/** Reads `{"stream":...,"data":{...}}` (any key order, both required); true when fully read. */
function readFrame(buf: Uint8Array, start: number, end: number): boolean {
  let pos = skipWs(buf, start, end);
  if (buf[pos] !== 123) return false;
  pos = skipWs(buf, pos + 1, end);
  let haveStream = false;
  let haveData = false;
  for (;;) {
    if (buf[pos] !== 34) return false;
    const close = scanString(buf, pos + 1, end);
    if (close < 0) return false;
    const isData = rangeEquals(buf, pos + 1, close, DATA);
    const isStream = !isData && rangeEquals(buf, pos + 1, close, STREAM);
    pos = skipWs(buf, close + 1, end);
    if (buf[pos] !== 58) return false;
    pos = skipWs(buf, pos + 1, end);
    if (isData) {
      if (haveData || buf[pos] !== 123) return false;
      haveData = true;
      pos = readData(buf, pos, end);
    } else {
      if (isStream) {
        if (haveStream) return false;
        haveStream = true;
      }
      pos = skipScalar(buf, pos, end);
    }
    if (pos < 0) return false;
    pos = skipWs(buf, pos, end);
    if (buf[pos] === 125) break;
    if (buf[pos] !== 44) return false;
    pos = skipWs(buf, pos + 1, end);
  }
  return haveStream && haveData && skipWs(buf, pos + 1, end) === end;
}

// Canonical decimal slots set by canonicalRange.
let cS = 0,
  cE = 0,
  cDigits = 0,
  cScale = 0,
  cValue = 0;

/**
 * The canonical form of an unsigned plain decimal `buf[from, to)` is a sub-range of it (leading
 * zeros and trailing fractional zeros dropped); sets the slots, false when not such a decimal.
 */
function canonicalRange(buf: Uint8Array, from: number, to: number): boolean {
  let i = from;
  while (i < to && buf[i]! >= 48 && buf[i]! <= 57) i++;
  const intEnd = i;
  if (intEnd === from) return false;
  let head = from;
  while (head < intEnd - 1 && buf[head] === 48) head++;
  let last = intEnd;
  if (i < to) {
    if (buf[i] !== 46 || i === to - 1) return false;
    for (i++; i < to; i++) {
      const c = buf[i]!;
      if (c < 48 || c > 57) return false;
      if (c !== 48) last = i + 1;
    }
  }
  cS = head;
  cE = last;
  cScale = last === intEnd ? 0 : last - intEnd - 1;
  cDigits = intEnd - head + cScale;
  let value = 0;
  if (cDigits <= 15) for (let j = head; j < last; j++) if (j !== intEnd) value = value * 10 + (buf[j]! - 48);
  cValue = value;
  return true;
}

// The quote quantity as an integer and a scale (written canonically), or as a string.
let qqValue = 0,
  qqScale = 0,
  qqDigits = 0,
  qqLength = 0;
let qqText: string | null = null;

function quoteQuantity(buf: Uint8Array, price: number[], quantity: number[], contracts: boolean): void {
  qqText = null;
  if (contracts) {
    qqText = '';
    qqLength = 0;
    return;
  }
  const pDigits = price[2]!;
  const qDigits = quantity[2]!;
  let product = pDigits <= 15 && qDigits <= 15 ? price[4]! * quantity[4]! : Number.NaN;
  if (!Number.isSafeInteger(product)) {
    const text = (s: number, e: number) =>
      Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('latin1');
    qqText = mulDecimal(text(price[0]!, price[1]!), text(quantity[0]!, quantity[1]!));
    qqLength = qqText.length;
    return;
  }
  let scale = price[3]! + quantity[3]!;
  if (product === 0) scale = 0;
  while (scale > 0 && product % 10 === 0) {
    product /= 10;
    scale--;
  }
  qqValue = product;
  qqScale = scale;
  qqDigits = digitCount(product);
  qqLength = scale === 0 ? qqDigits : qqDigits > scale ? qqDigits + 1 : scale + 2;
}

function writeQuoteQuantity(out: Buffer, pos: number): number {
  if (qqText !== null) {
    for (let i = 0; i < qqText.length; i++) out[pos++] = qqText.charCodeAt(i);
    return pos;
  }
  if (qqScale === 0) return writeDigits(out, pos, qqValue, qqDigits);
  const unit = 10 ** qqScale;
  const frac = qqValue % unit;
  if (qqDigits > qqScale) {
    pos = writeDigits(out, pos, (qqValue - frac) / unit, qqDigits - qqScale);
    out[pos++] = 46;
    return writeDigits(out, pos, frac, qqScale);
  }
  out[pos++] = 48;
  out[pos++] = 46;
  return writeDigits(out, pos, qqValue, qqScale);
}

const priceSlots = [0, 0, 0, 0, 0];
const quantitySlots = [0, 0, 0, 0, 0];

function isTime(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/**
 * Normalizes the trade frame in `buf[start, end)` straight to bytes: TRADE_PUSHED (one record
 * appended to `out`), TRADE_SKIPPED (a valid non-MARKET futures trade) or TRADE_BAIL (nothing
 * done: not the common shape, or invalid; the general path must handle it).
 */
export function normalizeTradeBytes(
  buf: Uint8Array,
  start: number,
  end: number,
  ctx: NormalizeContext,
  out: BusRecord[],
): number {
  if (!readFrame(buf, start, end)) return TRADE_BAIL;
  if (eS < 0 || !rangeEquals(buf, eS, eE, EVENT_TRADE)) return TRADE_BAIL;
  if (sS < 0 || sE === sS || !sAscii || pS < 0 || qS < 0 || tS < 0 || bigT < 0 || bigE < 0 || m < 0)
    return TRADE_BAIL;
  if (xS >= 0 && !rangeEquals(buf, xS, xE, MARKET)) return TRADE_SKIPPED;
  const timeUs = bigT * 1000;
  const observedAtUs = bigE * 1000;
  const ingestedAtUs = ctx.ingestedAtUs;
  if (!isTime(timeUs) || !isTime(observedAtUs) || !isTime(ingestedAtUs) || tV < 0) return TRADE_BAIL;
  if (!canonicalRange(buf, pS, pE)) return TRADE_BAIL;
  priceSlots[0] = cS;
  priceSlots[1] = cE;
  priceSlots[2] = cDigits;
  priceSlots[3] = cScale;
  priceSlots[4] = cValue;
  if (!canonicalRange(buf, qS, qE)) return TRADE_BAIL;
  quantitySlots[0] = cS;
  quantitySlots[1] = cE;
  quantitySlots[2] = cDigits;
  quantitySlots[3] = cScale;
  quantitySlots[4] = cValue;
  const entry = symbolEntry(ctx.venue, buf, sS, sE);
  quoteQuantity(buf, priceSlots, quantitySlots, entry.contracts);
  const tail = streamTail(ctx.stream);

  const idDigits = tE - tS;
  const priceLength = priceSlots[1]! - priceSlots[0]!;
  const quantityLength = quantitySlots[1]! - quantitySlots[0]!;
  const payload =
    fieldSize(idDigits) +
    fieldSize(priceLength) +
    fieldSize(quantityLength) +
    fieldSize(qqLength) +
    2 + // aggressor
    1 +
    varintSize(timeUs) +
    2 + // trade_count 1
    2; // best_match
  const idLength = entry.idPrefix.length + idDigits;
  const size =
    fieldSize(idLength) +
    entry.middle.length +
    varintSize(observedAtUs) +
    1 +
    varintSize(ingestedAtUs) +
    1 +
    varintSize(SCHEMA_VERSION) +
    fieldSize(payload) +
    tail.length;
  const value = Buffer.allocUnsafe(size);
  value[0] = 10; // event_id
  let pos = writeVarint(value, 1, idLength);
  pos = writeBytes(value, pos, entry.idPrefix);
  pos = writeRange(value, pos, buf, tS, tE);
  pos = writeBytes(value, pos, entry.middle); // event_type, venue, symbol, tag of observed_at_us
  pos = writeVarint(value, pos, observedAtUs);
  value[pos++] = 48; // ingested_at_us
  pos = writeVarint(value, pos, ingestedAtUs);
  value[pos++] = 56; // schema_version
  pos = writeVarint(value, pos, SCHEMA_VERSION);
  value[pos++] = 66; // payload: Trade
  pos = writeVarint(value, pos, payload);
  value[pos++] = 10; // trade_id
  pos = writeVarint(value, pos, idDigits);
  pos = writeRange(value, pos, buf, tS, tE);
  value[pos++] = 18; // price
  pos = writeVarint(value, pos, priceLength);
  pos = writeRange(value, pos, buf, priceSlots[0]!, priceSlots[1]!);
  value[pos++] = 26; // quantity
  pos = writeVarint(value, pos, quantityLength);
  pos = writeRange(value, pos, buf, quantitySlots[0]!, quantitySlots[1]!);
  value[pos++] = 34; // quote_quantity
  pos = writeVarint(value, pos, qqLength);
  pos = writeQuoteQuantity(value, pos);
  value[pos++] = 40; // aggressor: m (buyer is maker) -> SIDE_SELL (2), else SIDE_BUY (1)
  value[pos++] = m === 1 ? 2 : 1;
  value[pos++] = 48; // time_us
  pos = writeVarint(value, pos, timeUs);
  value[pos++] = 72; // trade_count
  value[pos++] = 1;
  value[pos++] = 80; // best_match
  value[pos++] = bestM === 1 ? 1 : 0;
  writeBytes(value, pos, tail);
  out.push({ topic: NORM_TOPICS.trade, key: entry.key, value });
  return TRADE_PUSHED;
}
