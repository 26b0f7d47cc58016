/**
 * The wire form of `quantforge.v1.RecordPack` (proto/quantforge/v1/bus.proto): several bus
 * record values of one topic and key in one Kafka record. Written by hand because it sits on
 * the hottest path of the Kafka bus (every record of every stage): encoding writes into one
 * buffer of the exact size, copying each value once; decoding makes views into the fetched
 * buffer, no copies and no intermediate arrays. The bytes are exactly what the generated codec
 * writes and reads (packing.test.ts, record-pack.test.ts); the tag is wire-layout.ts's.
 */
import { fieldSize, varintSize, writeVarint } from '../../../proto/wire.ts';
import { RecordPackTag } from '../../../proto/wire-layout.ts';
import type { BusMessage } from '../types.ts';

/** Record header that marks a packed record; its value is the pack format version. */
export const PACK_HEADER = 'qf-pack';
export const PACK_VERSION = '1';

/** `repeated bytes values = 1`: the tag before each value. */
const VALUES_TAG = RecordPackTag.values;

/** Bytes one value takes in a pack: tag, length varint, the value. */
export function packEntrySize(valueLength: number): number {
  return 1 + varintSize(valueLength) + valueLength;
}

/** Writes one pack entry for `value` at `pos` of `out`; returns the position after it. */
export function writePackEntry(out: Uint8Array, pos: number, value: Uint8Array): number {
  out[pos++] = VALUES_TAG;
  pos = writeVarint(out, pos, value.byteLength);
  out.set(value, pos);
  return pos + value.byteLength;
}

/** Encodes `values` as a RecordPack. */
export function encodeRecordPack(values: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const v of values) size += fieldSize(v.byteLength);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const v of values) pos = writePackEntry(out, pos, v);
  return out;
}

/** A pack that is not a well-formed RecordPack (a foreign or corrupted record). */
export class MalformedPackError extends Error {
  override readonly name = 'MalformedPackError';
}

type ViewConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => Buffer;

/**
 * Node's own Buffer class (`FastBuffer`, what `Buffer[Symbol.species]` gives), constructed
 * directly: a view of part of a fetched buffer that is a plain `Buffer` with the same shape as
 * every other, at half the cost of `Buffer#subarray` (which looks up the species constructor and
 * checks its arguments for every view). `Buffer.from` is the fallback should that ever change.
 */
const PackView: ViewConstructor = (() => {
  const species = (Buffer as unknown as Record<symbol, unknown>)[Symbol.species];
  if (typeof species === 'function') {
    const view = new (species as ViewConstructor)(new ArrayBuffer(4), 1, 2);
    if (Buffer.isBuffer(view) && view.byteOffset === 1 && view.byteLength === 2)
      return species as ViewConstructor;
  }
  return function BufferView(buffer: ArrayBuffer, byteOffset: number, length: number): Buffer {
    return Buffer.from(buffer, byteOffset, length);
  } as unknown as ViewConstructor;
})();

/** The Kafka record a pack came in: every message unpacked from it carries these. */
export interface PackedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
}

/** Reads RecordPacks; one per consumer (it keeps the position of the entry being read). */
export interface RecordPackReader {
  /**
   * Decodes a RecordPack into views of `bytes`. Throws {@link MalformedPackError} on a field
   * other than `values`, or a length that runs past the end.
   */
  decode(bytes: Uint8Array): Uint8Array[];
  /**
   * Appends the values of the RecordPack `bytes` to `out` as messages of the Kafka record
   * `from` (`index` the place in the pack), each value a view of `bytes`. Returns false, with
   * `out` as it was, when `bytes` is not a well-formed pack.
   */
  unpackInto(out: BusMessage[], bytes: Uint8Array, from: PackedRecord): boolean;
}

/** A new {@link RecordPackReader}. */
export function createRecordPackReader(): RecordPackReader {
  /** Where the value of the last {@link readEntry} starts, and its length (no tuple per value). */
  let valueStart = 0;
  let valueLength = 0;

  /**
   * Reads the entry header at `pos` (`end` is the pack's end) into `valueStart` and `valueLength`.
   * Returns 0, or a negative number when the bytes there are not a values entry that fits: -1 for
   * another tag, -2 for a bad length varint, -3 for a value that runs past the end.
   */
  function readEntry(bytes: Uint8Array, pos: number, end: number): number {
    if (bytes[pos++] !== VALUES_TAG) return -1;
    // Multiplying by a running power of 128 (not `2 ** shift`, a float pow per byte).
    let len = 0;
    for (let scale = 1; ; scale *= 128) {
      if (pos >= end || scale > 0x10000000) return -2;
      const b = bytes[pos++]!;
      len += (b & 0x7f) * scale;
      if (b < 0x80) break;
    }
    valueStart = pos;
    valueLength = len;
    return pos + len > end ? -3 : 0;
  }

  function malformed(bytes: Uint8Array, pos: number, code: number): MalformedPackError {
    if (code === -1)
      return new MalformedPackError(
        `record pack: unexpected tag ${bytes[pos]} at byte ${pos} (expected field 1, bytes)`,
      );
    if (code === -2) return new MalformedPackError(`record pack: bad length varint after byte ${pos}`);
    return new MalformedPackError(
      `record pack: value of ${valueLength} bytes at byte ${valueStart} runs past the end (${bytes.byteLength})`,
    );
  }

  function decode(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    const end = bytes.byteLength;
    const buffer = bytes.buffer as ArrayBuffer;
    const byteOffset = bytes.byteOffset;
    let pos = 0;
    while (pos < end) {
      const status = readEntry(bytes, pos, end);
      if (status < 0) throw malformed(bytes, pos, status);
      out.push(new PackView(buffer, byteOffset + valueStart, valueLength));
      pos = valueStart + valueLength;
    }
    return out;
  }

  function unpackInto(out: BusMessage[], bytes: Uint8Array, from: PackedRecord): boolean {
    const { topic, key, partition, offset, timestamp } = from;
    const before = out.length;
    const end = bytes.byteLength;
    const buffer = bytes.buffer as ArrayBuffer;
    const byteOffset = bytes.byteOffset;
    let pos = 0;
    let index = 0;
    while (pos < end) {
      if (readEntry(bytes, pos, end) < 0) {
        out.length = before;
        return false;
      }
      const start = valueStart;
      const len = valueLength;
      // One shape for every message the Kafka bus makes (same fields, same order; see packing.ts).
      out.push({
        topic,
        key,
        value: new PackView(buffer, byteOffset + start, len),
        headers: undefined,
        partition,
        offset,
        timestamp,
        index: index++,
      });
      pos = start + len;
    }
    return true;
  }

  return { decode, unpackInto };
}
