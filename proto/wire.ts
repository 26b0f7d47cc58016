/**
 * Byte-level helpers of the hot paths that write protobuf envelopes by hand (one exactly-sized
 * Buffer per record, no protobufjs Writer ops). They cover non-negative safe integers and
 * pre-encoded strings only; callers fall back to the generated codecs for anything else, and
 * tests check the bytes equal the generated encoders'.
 */

// Numbers here are often µs timestamps (~2^51): float `%` on them is a slow libc call, so they
// are split into 32-bit (varints) or 8-decimal-digit (digits) halves and handled as integers.

const TWO_32 = 4294967296;

/** Bytes of the varint of a non-negative safe integer. */
export function varintSize(n: number): number {
  if (n < 128) return 1;
  if (n < 16384) return 2;
  if (n < 2097152) return 3;
  if (n < 268435456) return 4;
  if (n < 34359738368) return 5;
  if (n < 4398046511104) return 6;
  if (n < 562949953421312) return 7;
  return 8;
}

/** Writes the varint of a non-negative safe integer at `pos`; returns the position after it. */
export function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  let lo = n >>> 0;
  let hi = (n - lo) / TWO_32;
  while (hi !== 0) {
    buf[pos++] = (lo & 127) | 128;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo > 127) {
    buf[pos++] = (lo & 127) | 128;
    lo >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

const E8 = 100_000_000;

function smallDigitCount(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  if (n < 10000) return 4;
  if (n < 100000) return 5;
  if (n < 1000000) return 6;
  if (n < 10000000) return 7;
  return 8;
}

/** Decimal digits of a non-negative safe integer. */
export function digitCount(n: number): number {
  if (n < E8) return smallDigitCount(n);
  const hi = Math.floor(n / E8);
  return hi < E8 ? 8 + smallDigitCount(hi) : 16 + smallDigitCount(Math.floor(hi / E8));
}

function writeSmall(buf: Uint8Array, end: number, n: number, count: number): void {
  // n < 1e8: integer (Smi) arithmetic.
  for (let i = end - 1; i >= end - count; i--) {
    const q = (n / 10) | 0;
    buf[i] = 48 + n - q * 10;
    n = q;
  }
}

/** Writes a non-negative safe integer as exactly `count` decimal digits (zero-padded) at `pos`. */
export function writeDigits(buf: Uint8Array, pos: number, n: number, count: number): number {
  const end = pos + count;
  if (n < E8 && count <= 8) {
    writeSmall(buf, end, n, count);
    return end;
  }
  let at = end;
  while (at > pos) {
    const hi = Math.floor(n / E8);
    const chunk = Math.min(8, at - pos);
    writeSmall(buf, at, n - hi * E8, chunk);
    at -= chunk;
    n = hi;
  }
  return end;
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
