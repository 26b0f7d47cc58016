import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { digitCount, varintSize, writeDigits, writeVarint } from './wire.ts';

const edges = [
  0,
  1,
  9,
  10,
  99,
  127,
  128,
  16383,
  16384,
  99_999_999,
  100_000_000,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 35,
  2 ** 42,
  2 ** 49,
  2 ** 49 + 1,
  1_723_161_255_343_000,
  999_999_999_999_999,
  Number.MAX_SAFE_INTEGER,
];
let seed = 7;
for (let i = 0; i < 2000; i++) {
  seed = (seed * 48_271) % 2_147_483_647;
  edges.push(Math.floor((seed / 2_147_483_647) * 2 ** (1 + (i % 53))));
}

describe('wire', () => {
  it('writes varints as protobufjs writes int64/uint32, and sizes them', () => {
    const buf = new Uint8Array(16);
    for (const n of edges) {
      const want = protobuf.Writer.create().int64(n).finish();
      const end = writeVarint(buf, 0, n);
      expect(Buffer.from(buf.subarray(0, end)).equals(Buffer.from(want)), String(n)).toBe(true);
      expect(varintSize(n), String(n)).toBe(want.length);
    }
  });

  it('writes decimal digits as String() does, zero-padded to a width', () => {
    const buf = new Uint8Array(24);
    for (const n of edges) {
      const text = String(n);
      expect(digitCount(n), text).toBe(text.length);
      for (const width of [text.length, text.length + 3, 20]) {
        const end = writeDigits(buf, 1, n, width);
        expect(Buffer.from(buf.subarray(1, end)).toString('latin1'), text).toBe(text.padStart(width, '0'));
      }
    }
  });
});
