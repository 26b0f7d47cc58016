/**
 * The wire form of `quantforge.v1.RecordPack` (proto/quantforge/v1/bus.proto): several bus
 * record values of one topic and key in one Kafka record. Written by hand because it sits on
 * the hottest path of the Kafka bus (every record of every stage): encoding sizes the output
 * once and copies each value once; decoding returns views into the fetched buffer, no copies.
 * The bytes are exactly what the generated codec writes and reads (convert.test.ts).
 */
import { fieldSize, writeVarint } from '../../../proto/wire.ts';

/** Record header that marks a packed record; its value is the pack format version. */
export const PACK_HEADER = 'qf-pack';
export const PACK_VERSION = '1';

/** Field 1, wire type 2 (length-delimited): `repeated bytes values = 1`. */
const VALUES_TAG = 0x0a;

/** Encodes `values` as a RecordPack. */
export function encodeRecordPack(values: readonly Uint8Array[]): Buffer {
  let size = 0;
  for (const v of values) size += fieldSize(v.byteLength);
  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const v of values) {
    out[pos++] = VALUES_TAG;
    pos = writeVarint(out, pos, v.byteLength);
    out.set(v, pos);
    pos += v.byteLength;
  }
  return out;
}

/** A pack that is not a well-formed RecordPack (a foreign or corrupted record). */
export class MalformedPackError extends Error {
  override readonly name = 'MalformedPackError';
}

/**
 * Decodes a RecordPack into views of `bytes`. Throws {@link MalformedPackError} on a field
 * other than `values`, or a length that runs past the end.
 */
export function decodeRecordPack(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const end = bytes.byteLength;
  let pos = 0;
  while (pos < end) {
    const tag = bytes[pos++];
    if (tag !== VALUES_TAG)
      throw new MalformedPackError(
        `record pack: unexpected tag ${tag} at byte ${pos - 1} (expected field 1, bytes)`,
      );
    let len = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end || shift > 28) throw new MalformedPackError(`record pack: bad length at byte ${pos}`);
      const b = bytes[pos++]!;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    if (pos + len > end)
      throw new MalformedPackError(
        `record pack: value of ${len} bytes at byte ${pos} runs past the end (${end})`,
      );
    out.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}
