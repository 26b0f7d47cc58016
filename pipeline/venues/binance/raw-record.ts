/**
 * The ingest hot path: a combined-stream frame (`{"stream":"btcusdt@trade",...}`) to its raw
 * envelope record with one lookup and one exactly-sized buffer. Everything that depends only on
 * the stream name (symbol, channel, topic, key, the event-id prefix and the envelope's constant
 * fields) is computed once per stream name and cached; per frame only the times, the event-id
 * suffix and the raw bytes are written. The bytes equal `toRawRecord`'s (EnvelopeCodec), which
 * remains the path for every other frame shape (ingest.test.ts checks both agree). Field tags
 * are proto/wire-layout.ts's.
 */
import { EventType, eventId, SCHEMA_VERSION, seriesKey } from '../../../proto/index.ts';
import {
  digitCount,
  fieldSize,
  varintSize,
  writeBytes,
  writeDigits,
  writeRange,
  writeVarint,
} from '../../../proto/wire.ts';
import { EnvelopeTag } from '../../../proto/wire-layout.ts';
import type { BusRecord } from '../../bus/types.ts';
import type { RawFrame } from '../types.ts';
import { VARINT8_END, VARINT8_MIN, write8Digits, writeVarint8 } from './fixed-width.ts';
import { createSlabAllocator, type SlabAllocator } from './slab.ts';
import { type BinanceChannel, parseStreamName, rawTopic } from './streams.ts';

/** What is fixed for one stream name of one venue. */
export interface RawStreamEntry {
  /** The stream name's bytes as they appear in frames (`btcusdt@trade`). */
  readonly nameBytes: Buffer;
  readonly symbol: string;
  readonly stream: string;
  readonly channel: BinanceChannel;
  readonly topic: string;
  readonly key: string;
  /** UTF-8 of `eventId(venue, symbol, 'raw', stream + ':')`; the receive time follows. */
  readonly idPrefix: Buffer;
  /** Envelope fields 2-4 and the tag of field 5: event type, venue, symbol. */
  readonly middle: Buffer;
  /** Envelope field 10: the stream. */
  readonly tail: Buffer;
  /**
   * Cache of the record's start for receive times of 16 digits whose first 8 are `headHi`:
   * field 1's tag and length, `idPrefix`, those 8 digits, 8 bytes for the last 8, `middle`.
   */
  head: Buffer | undefined;
  headHi: number;
}

const PREFIX = Buffer.from('{"stream":"');
const MAX_CACHED = 4096;

function lengthDelimited(tag: number, body: Buffer): Buffer {
  const out = Buffer.alloc(fieldSize(body.length));
  out[0] = tag;
  writeBytes(out, writeVarint(out, 1, body.length), body);
  return out;
}

function makeEntry(venue: string, nameBytes: Buffer, upper: Map<string, string>): RawStreamEntry {
  const parsed = parseStreamName(nameBytes.toString('latin1'), upper);
  const { symbol, stream, channel } = parsed;
  const middle = Buffer.concat([
    lengthDelimited(EnvelopeTag.eventType, Buffer.from(EventType.raw, 'utf8')),
    lengthDelimited(EnvelopeTag.venue, Buffer.from(venue, 'utf8')),
    lengthDelimited(EnvelopeTag.symbol, Buffer.from(symbol, 'utf8')),
    Buffer.from([EnvelopeTag.observedAtUs]),
  ]);
  return {
    nameBytes,
    symbol,
    stream,
    channel,
    topic: rawTopic(venue, channel),
    key: seriesKey(venue, symbol === '' ? '*' : symbol),
    idPrefix: Buffer.from(eventId(venue, symbol, EventType.raw, `${stream}:`), 'utf8'),
    middle,
    tail: lengthDelimited(EnvelopeTag.stream, Buffer.from(stream, 'utf8')),
    head: undefined,
    headHi: -1,
  };
}

const E8 = 100_000_000;
/** Receive times of 16 digits (µs from 2001-09 to 2286) take the cached-head path. */
const E15 = 1e15;
const E16 = 1e16;
const SCHEMA_VERSION_SIZE = varintSize(SCHEMA_VERSION);

/** {@link RawStreamEntry.head} for receive times whose first 8 of 16 digits are `hi`. */
function headOf(entry: RawStreamEntry, hi: number): Buffer {
  const idLength = entry.idPrefix.length + 16;
  const head = Buffer.alloc(fieldSize(idLength) + entry.middle.length);
  head[0] = EnvelopeTag.eventId;
  let pos = writeVarint(head, 1, idLength);
  pos = writeBytes(head, pos, entry.idPrefix);
  pos = writeDigits(head, pos, hi, 8);
  writeBytes(head, pos + 8, entry.middle);
  entry.head = head;
  entry.headHi = hi;
  return head;
}

/** Copies the frame's bytes: natively when long, in JS when short (a native call costs more). */
function copyRaw(out: Buffer, pos: number, raw: Uint8Array): number {
  if (raw.length > 64) {
    out.set(raw, pos);
    return pos + raw.length;
  }
  return writeRange(out, pos, raw, 0, raw.length);
}

/** Does `buf` start `{"stream":"`? Unrolled, with the bytes as constants: cheaper than a loop over PREFIX. */
function startsWithPrefix(buf: Uint8Array): boolean {
  return (
    buf[0] === 123 &&
    buf[1] === 34 &&
    buf[2] === 115 &&
    buf[3] === 116 &&
    buf[4] === 114 &&
    buf[5] === 101 &&
    buf[6] === 97 &&
    buf[7] === 109 &&
    buf[8] === 34 &&
    buf[9] === 58 &&
    buf[10] === 34
  );
}

/** Does `buf` hold `name` right after `{"stream":"`, then a quote? */
function sameName(buf: Uint8Array, name: Uint8Array): boolean {
  const n = name.length;
  const at = PREFIX.length;
  if (buf.length <= at + n || buf[at + n] !== 34) return false;
  for (let i = 0; i < n; i++) if (buf[at + i] !== name[i]) return false;
  return true;
}

function isTime(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Caches stream entries of one venue and writes raw records of combined-stream frames. */
export interface RawRecorder {
  /**
   * The stream entry of a combined-stream frame, or undefined when the frame does not start
   * `{"stream":"<name>"` (the caller then takes the general path).
   */
  entryOf(buf: Uint8Array): RawStreamEntry | undefined;
  /** The raw record of a frame whose entry is known; undefined when a time is not a safe µs integer. */
  record(frame: RawFrame, entry: RawStreamEntry, observedAtUs: number): BusRecord | undefined;
}

/**
 * Creates the raw-record writer of a venue; `upper` caches symbol upper-casing. Records are
 * views of shared slabs (see slab.ts) unless `allocate` says otherwise.
 */
export function createRawRecorder(
  venue: string,
  upper: Map<string, string>,
  allocate: SlabAllocator = createSlabAllocator(),
): RawRecorder {
  const byName = new Map<string, RawStreamEntry>();
  let last: RawStreamEntry | undefined;

  function entryOf(buf: Uint8Array): RawStreamEntry | undefined {
    const n = PREFIX.length;
    if (buf.length <= n || !startsWithPrefix(buf)) return undefined;
    // The last stream again? Its name holds no quote, so a match followed by one is the name.
    if (last !== undefined && sameName(buf, last.nameBytes)) return last;
    let end = n;
    while (end < buf.length && buf[end] !== 34 /* " */) end++;
    if (end === buf.length || end === n) return undefined;
    const name = Buffer.from(buf.buffer, buf.byteOffset + n, end - n).toString('latin1');
    let entry = byName.get(name);
    if (entry === undefined) {
      if (byName.size >= MAX_CACHED) byName.clear();
      entry = makeEntry(venue, Buffer.from(buf.subarray(n, end)), upper);
      byName.set(name, entry);
    }
    last = entry;
    return entry;
  }

  function record(frame: RawFrame, entry: RawStreamEntry, observedAtUs: number): BusRecord | undefined {
    const received = frame.receivedAtUs;
    if (!isTime(received) || !isTime(observedAtUs)) return undefined;
    if (received < E15 || received >= E16) return recordAnyTime(frame, entry, observedAtUs);
    const raw = frame.data;
    const rawLength = raw.length;
    const hi = Math.floor(received / E8);
    const head = entry.headHi === hi && entry.head !== undefined ? entry.head : headOf(entry, hi);
    const size =
      head.length +
      varintSize(observedAtUs) +
      10 + // tags of ingested_at_us and schema_version, and the 8-byte varint of a 16-digit time
      SCHEMA_VERSION_SIZE +
      fieldSize(rawLength) +
      entry.tail.length;
    const out = allocate(size);
    let pos = head.length;
    out.set(head, 0);
    write8Digits(out, pos - entry.middle.length - 8, received - hi * E8);
    pos =
      observedAtUs >= VARINT8_MIN && observedAtUs < VARINT8_END
        ? writeVarint8(out, pos, observedAtUs)
        : writeVarint(out, pos, observedAtUs);
    out[pos++] = EnvelopeTag.ingestedAtUs;
    pos = writeVarint8(out, pos, received);
    out[pos++] = EnvelopeTag.schemaVersion;
    pos = writeVarint(out, pos, SCHEMA_VERSION);
    out[pos++] = EnvelopeTag.raw;
    pos = writeVarint(out, pos, rawLength);
    pos = copyRaw(out, pos, raw);
    writeBytes(out, pos, entry.tail);
    return { topic: entry.topic, key: entry.key, value: out };
  }

  /** {@link record} for any safe receive time (the digits of its event id written one by one). */
  function recordAnyTime(frame: RawFrame, entry: RawStreamEntry, observedAtUs: number): BusRecord {
    const received = frame.receivedAtUs;
    const raw = frame.data;
    const idDigits = digitCount(received);
    const idLength = entry.idPrefix.length + idDigits;
    const size =
      fieldSize(idLength) +
      entry.middle.length +
      varintSize(observedAtUs) +
      1 +
      varintSize(received) +
      1 +
      SCHEMA_VERSION_SIZE +
      fieldSize(raw.length) +
      entry.tail.length;
    const out = allocate(size);
    out[0] = EnvelopeTag.eventId;
    let pos = writeVarint(out, 1, idLength);
    pos = writeBytes(out, pos, entry.idPrefix);
    pos = writeDigits(out, pos, received, idDigits);
    pos = writeBytes(out, pos, entry.middle);
    pos = writeVarint(out, pos, observedAtUs);
    out[pos++] = EnvelopeTag.ingestedAtUs;
    pos = writeVarint(out, pos, received);
    out[pos++] = EnvelopeTag.schemaVersion;
    pos = writeVarint(out, pos, SCHEMA_VERSION);
    out[pos++] = EnvelopeTag.raw;
    pos = writeVarint(out, pos, raw.length);
    pos = copyRaw(out, pos, raw);
    writeBytes(out, pos, entry.tail);
    return { topic: entry.topic, key: entry.key, value: out };
  }

  return { entryOf, record };
}
