import { describe, expect, it } from 'vitest';
import { digitCount, writeDigits, writeVarint } from '../../../proto/wire.ts';
import { VARINT8_END, VARINT8_MIN, write8Digits, writeDigitsFast, writeVarint8 } from './fixed-width.ts';

let seed = 7;
function rnd(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

describe('fixed-width writers', () => {
  it('writeVarint8 writes what writeVarint does over its whole range', () => {
    const values = [VARINT8_MIN, VARINT8_MIN + 1, 1_723_161_255_343_123, 2 ** 53 - 1, VARINT8_END - 2 ** 4];
    for (let i = 0; i < 5000; i++) values.push(Math.floor(VARINT8_MIN + rnd() * (2 ** 53 - VARINT8_MIN)));
    for (const n of values) {
      const want = Buffer.alloc(10);
      expect(writeVarint(want, 1, n)).toBe(9);
      const got = Buffer.alloc(10);
      expect(writeVarint8(got, 1, n)).toBe(9);
      expect(got.equals(want), String(n)).toBe(true);
    }
  });

  it('write8Digits writes what writeDigits(n, 8) does', () => {
    const values = [0, 1, 9, 10, 99, 100, 12_345_678, 99_999_999, 10_000_000, 1_000_001];
    for (let i = 0; i < 5000; i++) values.push(Math.floor(rnd() * 1e8));
    for (const n of values) {
      const want = Buffer.alloc(10);
      writeDigits(want, 1, n, 8);
      const got = Buffer.alloc(10);
      expect(write8Digits(got, 1, n)).toBe(9);
      expect(got.toString('latin1'), String(n)).toBe(want.toString('latin1'));
    }
  });

  it('writeDigitsFast writes what writeDigits does, padded or not, for any safe integer', () => {
    const values = [0, 5, 10, 99, 100, 1e8 - 1, 1e8, 1e8 + 1, 999_999_999_999_999, 1e15, 2 ** 53 - 1];
    for (let i = 0; i < 5000; i++) values.push(Math.floor(rnd() * 10 ** (1 + Math.floor(rnd() * 15))));
    for (const n of values)
      for (const pad of [0, 1, 2, 3, 9]) {
        const count = digitCount(n) + pad;
        const want = Buffer.alloc(count + 2);
        writeDigits(want, 1, n, count);
        const got = Buffer.alloc(count + 2);
        expect(writeDigitsFast(got, 1, n, count)).toBe(count + 1);
        expect(got.toString('latin1'), `${n} in ${count}`).toBe(want.toString('latin1'));
      }
  });
});
