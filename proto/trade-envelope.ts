/**
 * One-pass reader of the hottest record on the bus: an Envelope holding a Trade (norm.trade,
 * norm.trade.sequenced), read by the sequencer, the bar builder and the store sink for every
 * trade. The generated codec builds two message objects through a Reader and decodes every
 * string; this reads both messages in one pass over the bytes into a plain object, reuses the
 * strings that repeat from record to record (event type, venue, symbol, stream) and leaves
 * `event_id` undecoded (no reader of this view needs it). Values are what the generated codec
 * gives for the same bytes, proto3 defaults included (trade-envelope.test.ts checks it). Field
 * tags are wire-layout.ts's. Each reader has its own cursors and interned strings: nothing is
 * shared between readers, nothing is made at import.
 */
import { EnvelopeTag, TradeTag } from './wire-layout.ts';

/** The Trade fields of a {@link TradeEnvelope} (proto3 defaults when absent). */
export interface TradeFields {
  tradeId: string;
  price: string;
  quantity: string;
  quoteQuantity: string;
  /** proto Side. */
  aggressor: number;
  timeUs: number;
  firstTradeId: string;
  lastTradeId: string;
  tradeCount: number;
  bestMatch: boolean;
  /**
   * Where the six text fields lie in the record's bytes: [start, end) pairs in field order
   * (trade id, price, quantity, quote quantity, first id, last id); [0, 0] for an absent one.
   * Lets a reader take a field's bytes without making a string of them.
   */
  readonly spans: ArrayLike<number>;
}

/** An Envelope with its Trade payload read (event_id, raw and schema_version left out). */
export interface TradeEnvelope {
  eventType: string;
  venue: string;
  symbol: string;
  stream: string;
  observedAtUs: number;
  ingestedAtUs: number;
  seq: number;
  trade: TradeFields;
}

/** Bytes that are not a well-formed Envelope, or whose payload is not a well-formed Trade; says where. */
export class MalformedEnvelopeError extends Error {
  override readonly name = 'MalformedEnvelopeError';
  constructor(
    message: string,
    /** Which message was malformed: the Envelope itself or its Trade payload. */
    readonly part: 'envelope' | 'payload',
  ) {
    super(message);
  }
}

const TWO_32 = 4294967296;

/** A reading position over one record (a reader reuses two: reads are synchronous). */
class Cursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  end = 0;
  constructor(readonly part: 'envelope' | 'payload') {}

  at(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    return this;
  }

  fail(what: string): never {
    throw new MalformedEnvelopeError(`${what} at byte ${this.pos}`, this.part);
  }

  /** A varint as an unsigned 32-bit number (uint32, tags, lengths). */
  uint32(): number {
    const buf = this.buf;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) this.fail('varint runs past the end');
      const b = buf[this.pos++]!;
      value |= (b & 0x7f) << shift;
      if (b < 0x80) return value >>> 0;
    }
    // Bytes past the fifth only carry the high bits of a 64-bit varint: skip them.
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) this.fail('varint runs past the end');
      if (buf[this.pos++]! < 0x80) return value >>> 0;
    }
    return this.fail('varint longer than 10 bytes');
  }

  /** A 64-bit varint as a number: two's complement when `signed` (int64), else unsigned. */
  int64(signed: boolean): number {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let i = 0;
    for (; i < 4; i++) {
      if (this.pos >= this.end) this.fail('varint runs past the end');
      const b = buf[this.pos++]!;
      lo = (lo | ((b & 0x7f) << (i * 7))) >>> 0;
      if (b < 0x80) return lo;
    }
    if (this.pos >= this.end) this.fail('varint runs past the end');
    let b = buf[this.pos++]!;
    lo = (lo | ((b & 0x7f) << 28)) >>> 0;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (this.pos >= this.end) this.fail('varint runs past the end');
        b = buf[this.pos++]!;
        hi = (hi | ((b & 0x7f) << (i * 7 + 3))) >>> 0;
        if (b < 0x80) break;
      }
      if (b >= 0x80) this.fail('varint longer than 10 bytes');
    }
    if (signed && hi >>> 31 !== 0) {
      // Negative: -(~value + 1), as protobufjs' LongBits.toNumber does.
      const nlo = (~lo + 1) >>> 0;
      let nhi = ~hi >>> 0;
      if (nlo === 0) nhi = (nhi + 1) >>> 0;
      return -(nlo + nhi * TWO_32);
    }
    return lo + hi * TWO_32;
  }

  /** The [start, end) of a length-delimited field's bytes, moving past them. */
  span(): number {
    const len = this.uint32();
    const start = this.pos;
    if (start + len > this.end) this.fail(`field of ${len} bytes runs past the end`);
    this.pos = start + len;
    return start;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.uint32();
    else if (wireType === 2) this.span();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 5) this.advance(4);
    else this.fail(`unsupported wire type ${wireType}`);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) this.fail('fixed-width field runs past the end');
    this.pos += n;
  }
}

/** Text of buf[start, end): latin1 when every byte is ASCII (the usual case), else UTF-8. */
function text(buf: Buffer, start: number, end: number): string {
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return buf.toString('utf8', start, end);
  return buf.toString('latin1', start, end);
}

/** The last string read for one field, kept while the next record has the same bytes. */
class Interned {
  private bytes: Buffer = Buffer.alloc(0);
  private value = '';

  read(buf: Buffer, start: number, end: number): string {
    const len = end - start;
    const last = this.bytes;
    if (last.length === len) {
      let same = true;
      for (let i = 0; i < len; i++) {
        if (last[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return this.value;
    }
    this.bytes = Buffer.from(buf.subarray(start, end));
    this.value = text(buf, start, end);
    return this.value;
  }
}

const EMPTY = Buffer.alloc(0);

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The Trade of a read envelope. Numbers are read at once; each text field is decoded on first
 * use from the record's bytes (the sequencer and the bar builder use two or three of the six),
 * then kept until the object is filled again.
 */
class LazyTrade implements TradeFields {
  aggressor = 0;
  timeUs = 0;
  tradeCount = 0;
  bestMatch = false;
  buf: Buffer = EMPTY;
  /** [start, end) of each text field in `buf`, in field order: id, price, quantity, quote, first, last. */
  readonly spans: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  /** Bit i: text field i is decoded into `texts` (resetting clears one number, not an array). */
  private decoded = 0;
  private readonly texts: string[] = ['', '', '', '', '', ''];

  /** Empties the object for the record in `buf` (proto3 defaults). */
  reset(buf: Buffer): void {
    this.buf = buf;
    this.aggressor = 0;
    this.timeUs = 0;
    this.tradeCount = 0;
    this.bestMatch = false;
    this.decoded = 0;
  }

  private text(i: number): string {
    const bit = 1 << i;
    if ((this.decoded & bit) !== 0) return this.texts[i]!;
    // An absent field's span is [0, 0] (readTrade): the empty string, proto3's default.
    const start = this.spans[i * 2]!;
    const end = this.spans[i * 2 + 1]!;
    const value = end > start ? text(this.buf, start, end) : '';
    this.texts[i] = value;
    this.decoded |= bit;
    return value;
  }

  get tradeId(): string {
    return this.text(0);
  }
  get price(): string {
    return this.text(1);
  }
  get quantity(): string {
    return this.text(2);
  }
  get quoteQuantity(): string {
    return this.text(3);
  }
  get firstTradeId(): string {
    return this.text(4);
  }
  get lastTradeId(): string {
    return this.text(5);
  }
}

/** Tags of the text fields → their slot in a LazyTrade. */
const TEXT_SLOT: Record<number, number> = {
  [TradeTag.tradeId]: 0,
  [TradeTag.price]: 1,
  [TradeTag.quantity]: 2,
  [TradeTag.quoteQuantity]: 3,
  [TradeTag.firstTradeId]: 4,
  [TradeTag.lastTradeId]: 5,
};

function readTrade(c: Cursor, t: LazyTrade): void {
  t.reset(c.buf);
  const spans = t.spans;
  /** Bit i: text field i is in this record. */
  let present = 0;
  while (c.pos < c.end) {
    const tag = c.uint32();
    switch (tag) {
      case TradeTag.tradeId:
      case TradeTag.price:
      case TradeTag.quantity:
      case TradeTag.quoteQuantity:
      case TradeTag.firstTradeId:
      case TradeTag.lastTradeId: {
        const slot = TEXT_SLOT[tag]!;
        spans[slot * 2] = c.span();
        spans[slot * 2 + 1] = c.pos;
        present |= 1 << slot;
        break;
      }
      case TradeTag.aggressor:
        t.aggressor = c.uint32() | 0;
        break;
      case TradeTag.timeUs:
        t.timeUs = c.int64(true);
        break;
      case TradeTag.tradeCount:
        t.tradeCount = c.uint32();
        break;
      case TradeTag.bestMatch:
        t.bestMatch = c.uint32() !== 0;
        break;
      default:
        if (tag >>> 3 === 0) c.fail('field number 0');
        c.skip(tag & 7);
    }
  }
  // A field this record lacks must not keep the span of the record read before it.
  if (present !== 0b111111)
    for (let slot = 0; slot < 6; slot++)
      if ((present & (1 << slot)) === 0) {
        spans[slot * 2] = 0;
        spans[slot * 2 + 1] = 0;
      }
}

/** What a read fills: a new one per {@link readTradeEnvelope}, one per reader for good. */
class ReusedEnvelope implements TradeEnvelope {
  eventType = '';
  venue = '';
  symbol = '';
  stream = '';
  observedAtUs = 0;
  ingestedAtUs = 0;
  seq = 0;
  readonly trade = new LazyTrade();
}

/** Reads an Envelope and its Trade payload into `target`; throws {@link MalformedEnvelopeError}. */
type Fill = (target: ReusedEnvelope, bytes: Uint8Array) => void;

/** A {@link Fill} with its own cursors and interned strings. */
function createFill(): Fill {
  const envelopeCursor = new Cursor('envelope');
  const payloadCursor = new Cursor('payload');
  const eventTypes = new Interned();
  const venues = new Interned();
  const symbols = new Interned();
  const streams = new Interned();
  return function fill(target, bytes) {
    const buf = asBuffer(bytes);
    const c = envelopeCursor.at(buf, 0, buf.length);
    let eventType = '';
    let venue = '';
    let symbol = '';
    let stream = '';
    let observedAtUs = 0;
    let ingestedAtUs = 0;
    let seq = 0;
    let payloadStart = 0;
    let payloadEnd = 0;
    while (c.pos < c.end) {
      const tag = c.uint32();
      switch (tag) {
        case EnvelopeTag.eventType:
          eventType = eventTypes.read(buf, c.span(), c.pos);
          break;
        case EnvelopeTag.venue:
          venue = venues.read(buf, c.span(), c.pos);
          break;
        case EnvelopeTag.symbol:
          symbol = symbols.read(buf, c.span(), c.pos);
          break;
        case EnvelopeTag.observedAtUs:
          observedAtUs = c.int64(true);
          break;
        case EnvelopeTag.ingestedAtUs:
          ingestedAtUs = c.int64(true);
          break;
        case EnvelopeTag.payload:
          payloadStart = c.span();
          payloadEnd = c.pos;
          break;
        case EnvelopeTag.stream:
          stream = streams.read(buf, c.span(), c.pos);
          break;
        case EnvelopeTag.seq:
          seq = c.int64(false);
          break;
        default:
          if (tag >>> 3 === 0) c.fail('field number 0');
          c.skip(tag & 7);
      }
    }
    readTrade(payloadCursor.at(buf, payloadStart, payloadEnd), target.trade);
    // Do not hold on to the record (it may be a view of a large fetched batch).
    envelopeCursor.at(EMPTY, 0, 0);
    payloadCursor.at(EMPTY, 0, 0);
    target.eventType = eventType;
    target.venue = venue;
    target.symbol = symbol;
    target.stream = stream;
    target.observedAtUs = observedAtUs;
    target.ingestedAtUs = ingestedAtUs;
    target.seq = seq;
  };
}

/**
 * Reads an Envelope and its Trade payload into a new object. Throws
 * {@link MalformedEnvelopeError} on bytes that are not well-formed protobuf; the caller checks
 * `eventType`.
 */
export function readTradeEnvelope(bytes: Uint8Array): TradeEnvelope {
  const target = new ReusedEnvelope();
  createFill()(target, bytes);
  return target;
}

/**
 * A reader that fills ONE object again and again: hot loops read a trade, use it and move on
 * without leaving a few hundred bytes of garbage per trade. What `read` returns is valid until
 * the next `read` on the same reader (it also keeps a view of the record's bytes until then);
 * keep a value longer by copying the fields, or use {@link readTradeEnvelope}.
 */
export interface TradeEnvelopeReader {
  read(bytes: Uint8Array): TradeEnvelope;
}

/** A new {@link TradeEnvelopeReader}. */
export function createTradeEnvelopeReader(): TradeEnvelopeReader {
  const fill = createFill();
  const target = new ReusedEnvelope();
  return {
    read(bytes) {
      fill(target, bytes);
      return target;
    },
  };
}
