/**
 * A tiny binary writer/reader for processor state snapshots (changelog values): unsigned
 * varints, float64, strings and byte blocks. Snapshots are versioned by their first byte.
 */
import { StateError } from './errors.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Appends values to a growing buffer; `finish()` returns the bytes written. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** A non-negative integer below 2^53, 7 bits per byte. */
  uint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new StateError(`cannot encode ${value}: expected a non-negative safe integer`);
    }
    this.ensure(8);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  f64(value: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  bytes(value: Uint8Array): this {
    this.uint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  string(value: string): this {
    return this.bytes(encoder.encode(value));
  }

  /** A bigint as its decimal text (state only; never a hot path). */
  bigint(value: bigint): this {
    return this.string(value.toString());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Reads what a ByteWriter wrote, in the same order; throws StateError on truncation. */
export class ByteReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new StateError('snapshot is truncated');
  }

  uint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      this.need(1);
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new StateError('snapshot has a malformed varint');
    }
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.uint();
    this.need(n);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    return decoder.decode(this.bytes());
  }

  bigint(): bigint {
    const text = this.string();
    if (!/^-?\d+$/.test(text))
      throw new StateError(`snapshot has a malformed integer ${JSON.stringify(text)}`);
    return BigInt(text);
  }
}

/** Checks the leading format byte of a snapshot. */
export function expectVersion(reader: ByteReader, kind: string, version: number): void {
  const got = reader.uint();
  if (got !== version) {
    throw new StateError(`${kind} snapshot has format version ${got}; this build reads version ${version}`);
  }
}
