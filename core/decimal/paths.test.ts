/**
 * One property test across the three decimal paths: the same seeded random decimals go through
 * the bigint path (parseDecimal / formatDecimal / canonicalDecimal, bigint + - *), the text path
 * (tryCanonicalDecimal, mulDecimalText, subDecimalText) and the byte path (scanDecimal,
 * scanDecimalBytes, formatScannedDecimal), and every path must say the same thing: same validity,
 * same canonical text, same exact products and differences. Re-run a failure with its seed:
 * `QF_TEST_SEED=<seed> npx vitest run core/decimal/paths.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { testRandom } from '../../test/support/index.ts';
import {
  canonicalDecimal,
  formatDecimal,
  formatScannedDecimal,
  MAX_EXACT_DIGITS,
  MAX_FRAC_DIGITS,
  MAX_INT_DIGITS,
  mulDecimalText,
  PRODUCT_SCALE,
  parseDecimal,
  type ScannedDecimal,
  scanDecimal,
  scanDecimalBytes,
  subDecimalText,
  tryCanonicalDecimal,
  tryParseDecimal,
} from './index.ts';

// testRandom prints the seed, so any failure can be replayed with QF_TEST_SEED.
const { seed, next: random } = testRandom('core/decimal paths');

const int = (n: number): number => Math.floor(random() * n);
const digits = (n: number): string => Array.from({ length: n }, () => String(int(10))).join('');

/** A plain decimal `-?digits[.digits]` with up to `maxInt` / `maxFrac` digits, zeros likely at both ends. */
function plainDecimal(maxInt: number, maxFrac: number): string {
  const sign = random() < 0.2 ? '-' : '';
  const lead = random() < 0.2 ? '0'.repeat(1 + int(3)) : '';
  let head = lead + digits(1 + int(maxInt));
  if (head.length > maxInt) head = head.slice(0, maxInt);
  if (random() < 0.3) return sign + head;
  let frac = digits(1 + int(maxFrac));
  if (random() < 0.3) frac = `${frac.slice(0, Math.max(1, frac.length - 3))}000`.slice(0, maxFrac);
  return `${sign}${head}.${frac}`;
}

/** Strings every path must refuse: exponents, blanks, signs in the wrong place, junk. */
function notADecimal(): string {
  const good = plainDecimal(6, 6);
  const pick = int(9);
  switch (pick) {
    case 0:
      return `${good}e${int(20)}`;
    case 1:
      return ` ${good}`;
    case 2:
      return `${good}.5.1`;
    case 3:
      return good.replace(/\d$/, 'x');
    case 4:
      return '';
    case 5:
      return `--${good.replace('-', '')}`;
    case 6:
      return good.replace(/(\d)/, '$1,');
    case 7:
      return `${good}-`;
    default:
      return ['NaN', 'Infinity', '-', '.', 'null', '0x1f'][int(6)]!;
  }
}

const CASES = 4000;
const scratch: ScannedDecimal = { digits: 0, frac: 0 };

/** Bytes of `s` at an offset inside a larger buffer, as the store sees a record's value. */
function inBuffer(s: string): { buf: Buffer; start: number; end: number } {
  const buf = Buffer.from(`"${s}",`, 'latin1');
  return { buf, start: 1, end: 1 + s.length };
}

describe(`decimal paths agree (QF_TEST_SEED=${seed})`, () => {
  it('on plain decimals within the stored shape: same value, same canonical text', () => {
    for (let i = 0; i < CASES; i++) {
      const s = plainDecimal(MAX_INT_DIGITS, MAX_FRAC_DIGITS);
      const fromBigint = formatDecimal(parseDecimal(s));
      expect(canonicalDecimal(s), s).toBe(fromBigint);
      expect(tryCanonicalDecimal(s), s).toBe(fromBigint);
      const r = scanDecimal(s, scratch);
      expect(r, s).toBeGreaterThanOrEqual(0);
      const { buf, start, end } = inBuffer(s);
      const text = { ...scratch };
      expect(scanDecimalBytes(buf, start, end, scratch), s).toBe(r);
      expect(scratch, s).toEqual(text);
      // The scanned digits are exact below 2^53; then they give the value back.
      if (Number.isSafeInteger(scratch.digits) && (r >> 5) + (r & 31) <= MAX_EXACT_DIGITS) {
        expect(formatDecimal(parseDecimal(formatScannedDecimal(scratch.digits, scratch.frac))), s).toBe(
          fromBigint,
        );
      }
    }
  });

  it('on decimals outside the stored shape: the byte path refuses, the text path keeps the value', () => {
    for (let i = 0; i < CASES / 4; i++) {
      const wide = random() < 0.5;
      const s = wide
        ? `${1 + int(9)}${digits(MAX_INT_DIGITS + int(400))}`
        : `0.${digits(MAX_FRAC_DIGITS)}${digits(int(50))}${1 + int(9)}`;
      expect(scanDecimal(s), s).toBe(-1);
      const { buf, start, end } = inBuffer(s);
      expect(scanDecimalBytes(buf, start, end), s).toBe(-1);
      expect(tryCanonicalDecimal(s), s).toBe(s);
      // bigint holds any integer part exactly, but refuses more than 18 significant decimals.
      if (wide) expect(formatDecimal(parseDecimal(s))).toBe(s);
      else expect(tryParseDecimal(s), s).toBeUndefined();
    }
  });

  it('on strings that are not plain decimals: every path refuses', () => {
    for (let i = 0; i < CASES; i++) {
      const s = notADecimal();
      expect(tryCanonicalDecimal(s), s).toBeNull();
      expect(scanDecimal(s), s).toBe(-1);
      const { buf, start, end } = inBuffer(s);
      expect(scanDecimalBytes(buf, start, end), s).toBe(-1);
      expect(tryParseDecimal(s), s).toBeUndefined();
      expect(() => canonicalDecimal(s), s).toThrow();
    }
  });

  it('on products and differences: text and bigint give the same exact, canonical result', () => {
    for (let i = 0; i < CASES; i++) {
      const a = tryCanonicalDecimal(plainDecimal(random() < 0.5 ? 6 : 18, random() < 0.5 ? 8 : 18))!;
      const b = tryCanonicalDecimal(plainDecimal(random() < 0.5 ? 6 : 18, random() < 0.5 ? 8 : 18))!;
      const x = parseDecimal(a);
      const y = parseDecimal(b);
      expect(mulDecimalText(a, b), `${a} * ${b}`).toBe(formatDecimal(x * y, PRODUCT_SCALE));
      expect(subDecimalText(a, b), `${a} - ${b}`).toBe(formatDecimal(x - y));
    }
  });
});
