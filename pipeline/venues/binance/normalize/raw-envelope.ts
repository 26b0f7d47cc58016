/**
 * Reads the few fields the normalizer needs from a raw Envelope (venue, stream, ingested_at_us
 * and where the raw bytes are) without building an Envelope object, copying the raw bytes or
 * decoding the event id. Venue and stream strings are interned, so a batch of one stream
 * allocates none. Anything unusual (unknown fields, multi-byte tags, lengths past the end,
 * non-ASCII strings, times past 2^53) returns false and the caller decodes with EnvelopeCodec,
 * which also words the error of a bad envelope. Field tags are proto/wire-layout.ts's.
 */
import { EnvelopeTag } from '../../../../proto/wire-layout.ts';

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
    let pos = 0;
    while (pos < end) {
      const tag = bytes[pos++]!;
      // Every field here is a varint or has a varint length: read it (below 2^53, at most 8 bytes).
      if (pos >= end) return false;
      let b = bytes[pos++]!;
      let value = b & 127;
      if (b >= 128) {
        let scale = 128;
        for (let i = 1; ; i++) {
          if (i === 8 || pos >= end) return false;
          b = bytes[pos++]!;
          value += (b & 127) * scale;
          if (b < 128) break;
          scale *= 128;
        }
        if (!Number.isSafeInteger(value)) return false;
      }
      if (tag === EnvelopeTag.observedAtUs || tag === EnvelopeTag.schemaVersion || tag === EnvelopeTag.seq)
        continue;
      if (tag === EnvelopeTag.ingestedAtUs) {
        ingestedAtUs = value;
        continue;
      }
      if (
        tag !== EnvelopeTag.eventId &&
        tag !== EnvelopeTag.eventType &&
        tag !== EnvelopeTag.venue &&
        tag !== EnvelopeTag.symbol &&
        tag !== EnvelopeTag.payload &&
        tag !== EnvelopeTag.raw &&
        tag !== EnvelopeTag.stream
      )
        return false;
      if (pos + value > end) return false;
      const from = pos;
      pos += value;
      if (tag === EnvelopeTag.raw) {
        rawStart = from;
        rawEnd = pos;
      } else if (tag === EnvelopeTag.venue || tag === EnvelopeTag.stream) {
        const text = intern(bytes, from, pos);
        if (text === null) return false;
        if (tag === EnvelopeTag.venue) venue = text;
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
