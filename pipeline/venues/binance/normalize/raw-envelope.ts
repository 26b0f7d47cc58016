/**
 * Reads the few fields the normalizer needs from a raw Envelope (venue, stream, ingested_at_us
 * and where the raw bytes are) without building an Envelope object, copying the raw bytes or
 * decoding the event id. Venue and stream strings are interned, so a batch of one stream
 * allocates none. Anything unusual (unknown fields, multi-byte tags, lengths past the end,
 * non-ASCII strings, times past 2^53) returns false and the caller decodes with EnvelopeCodec,
 * which also words the error of a bad envelope.
 */

/** Where a raw envelope's fields are; filled in place by {@link RawEnvelopeReader}. */
export interface RawEnvelopeView {
  venue: string;
  stream: string;
  ingestedAtUs: number;
  rawStart: number;
  rawEnd: number;
}

/** Fills `view` from `bytes`; false when the envelope is not in the plain shape it reads. */
export type RawEnvelopeReader = (bytes: Uint8Array, view: RawEnvelopeView) => boolean;

interface Interned {
  readonly bytes: Uint8Array;
  readonly text: string;
}

const MAX_INTERNED = 256;

/** Creates a reader with its own string intern table. */
export function createRawEnvelopeReader(): RawEnvelopeReader {
  const interned: Interned[] = [];
  let pos = 0;

  /** A varint below 2^53 at `pos` (advancing it), or -1. */
  function varint(bytes: Uint8Array, end: number): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8 && pos < end; i++) {
      const b = bytes[pos++]!;
      value += (b & 127) * scale;
      if (b < 128) return Number.isSafeInteger(value) ? value : -1;
      scale *= 128;
    }
    return -1;
  }

  /** The ASCII string at `bytes[from, to)`, interned; null when not ASCII. */
  function intern(bytes: Uint8Array, from: number, to: number): string | null {
    const n = to - from;
    if (n === 0) return '';
    outer: for (let k = 0; k < interned.length; k++) {
      const e = interned[k]!;
      if (e.bytes.length !== n) continue;
      for (let i = 0; i < n; i++) if (e.bytes[i] !== bytes[from + i]) continue outer;
      return e.text;
    }
    for (let i = from; i < to; i++) if (bytes[i]! >= 128) return null;
    const copy = Uint8Array.prototype.slice.call(bytes, from, to);
    const text = Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength).toString('latin1');
    if (interned.length < MAX_INTERNED) interned.push({ bytes: copy, text });
    return text;
  }

  return function readRawEnvelope(bytes, view) {
    const end = bytes.length;
    let venue = '';
    let stream = '';
    let ingestedAtUs = 0;
    let rawStart = 0;
    let rawEnd = 0;
    pos = 0;
    while (pos < end) {
      const tag = bytes[pos++]!;
      if (tag === 40 || tag === 56 || tag === 88) {
        // observed_at_us, schema_version, seq: not needed
        if (varint(bytes, end) < 0) return false;
        continue;
      }
      if (tag === 48) {
        ingestedAtUs = varint(bytes, end);
        if (ingestedAtUs < 0) return false;
        continue;
      }
      if (tag !== 10 && tag !== 18 && tag !== 26 && tag !== 34 && tag !== 66 && tag !== 74 && tag !== 82)
        return false;
      const length = varint(bytes, end);
      if (length < 0 || pos + length > end) return false;
      const from = pos;
      pos += length;
      if (tag === 74) {
        rawStart = from;
        rawEnd = pos;
      } else if (tag === 26 || tag === 82) {
        const text = intern(bytes, from, pos);
        if (text === null) return false;
        if (tag === 26) venue = text;
        else stream = text;
      }
    }
    view.venue = venue;
    view.stream = stream;
    view.ingestedAtUs = ingestedAtUs;
    view.rawStart = rawStart;
    view.rawEnd = rawEnd;
    return true;
  };
}
