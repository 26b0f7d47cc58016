/**
 * Byte-level helpers of the hot paths that write protobuf envelopes by hand (one exactly-sized
 * Buffer per record, no protobufjs Writer ops). They cover non-negative safe integers and
 * pre-encoded strings only; callers fall back to the generated codecs for anything else, and
 * tests check the bytes equal the generated encoders'.
 */

/** Bytes of the varint of a non-negative safe integer. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes the varint of a non-negative safe integer at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 128) {
    buf[pos++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

/** Decimal digits of a non-negative safe integer. */
export function digitCount(n: number): number {
  let count = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    count++;
  }
  return count;
}

/** Writes the `count` decimal digits of a non-negative safe integer ending before `pos + count`. */
export function writeDigits(buf: Uint8Array, pos: number, n: number, count: number): number {
  for (let i = pos + count - 1; i >= pos; i--) {
    buf[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return pos + count;
}

/** Copies `src[from, to)` to `buf` at `pos` (a JS loop: cheaper than a native call for short runs). */
export function writeRange(buf: Uint8Array, pos: number, src: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) buf[pos++] = src[i]!;
  return pos;
}

/** Copies all of `src` to `buf` at `pos`. */
export function writeBytes(buf: Uint8Array, pos: number, src: Uint8Array): number {
  return writeRange(buf, pos, src, 0, src.length);
}

/** Is `buf[from, to)` equal to `bytes`? */
export function rangeEquals(buf: Uint8Array, from: number, to: number, bytes: Uint8Array): boolean {
  if (to - from !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buf[from + i] !== bytes[i]) return false;
  return true;
}

/** Is every byte of `buf[from, to)` 7-bit ASCII? */
export function isAscii(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i]! >= 0x80) return false;
  return true;
}

/** A string with its UTF-8 bytes (what protobuf writes for it). */
export interface EncodedString {
  readonly text: string;
  readonly bytes: Buffer;
}

/** Pairs a string with its UTF-8 bytes. */
export function encoded(text: string): EncodedString {
  return { text, bytes: Buffer.from(text, 'utf8') };
}

/** Bytes of a length-delimited field: tag, length varint, body. */
export function fieldSize(bodyLength: number): number {
  return 1 + varintSize(bodyLength) + bodyLength;
}
