import { describe, expect, it } from 'vitest';
import {
  canonicalDecimal,
  checkDecimal,
  compareDecimal,
  DecimalError,
  divDecimalByInt,
  formatDecimal,
  mulDecimal,
  mulDecimalWide,
  PRODUCT_SCALE,
  parseDecimal,
  rescaleToDecimal,
} from './index.ts';

describe('parseDecimal / formatDecimal', () => {
  it.each([
    ['61837.63000000', '61837.63'],
    ['0.00000001', '0.00000001'],
    ['0', '0'],
    ['0.000', '0'],
    ['-0', '0'],
    ['-0.5', '-0.5'],
    ['+12', '12'],
    ['.5', '0.5'],
    ['7.', '7'],
    ['00012.3400', '12.34'],
    ['1000', '1000'],
    ['0.000000000000000001', '0.000000000000000001'],
    [
      '123456789012345678901234567890.123456789012345678',
      '123456789012345678901234567890.123456789012345678',
    ],
    ['1.5000000000000000000000', '1.5'],
    ['-61837.63000000', '-61837.63'],
  ])('%s -> %s', (input, expected) => {
    expect(formatDecimal(parseDecimal(input))).toBe(expected);
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it('holds the exact scaled value', () => {
    expect(parseDecimal('0.00000001')).toBe(10_000_000_000n);
    expect(parseDecimal('1')).toBe(10n ** 18n);
  });

  it.each(['', '-', '.', '1e5', '1.2.3', ' 1', '1 ', 'abc', '0x10', 'NaN', '--1', '1,5', 'Infinity'])(
    'rejects %j with a DecimalError naming what is valid',
    (input) => {
      expect(() => parseDecimal(input)).toThrow(DecimalError);
      expect(() => parseDecimal(input)).toThrow(/plain decimal number/);
    },
  );

  it('rejects more than 18 significant decimals instead of rounding', () => {
    expect(() => parseDecimal('0.0000000000000000001')).toThrow(/more than 18 significant/);
  });
});

describe('arithmetic stays exact', () => {
  it('0.1 + 0.2 is 0.3 (no float drift)', () => {
    expect(formatDecimal(parseDecimal('0.1') + parseDecimal('0.2'))).toBe('0.3');
  });

  it('sums a million small lots exactly', () => {
    const lot = parseDecimal('0.00000001');
    let sum = 0n;
    for (let i = 0; i < 1_000_000; i++) sum += lot;
    expect(formatDecimal(sum)).toBe('0.01');
  });

  it('price × qty matches the exact quote quantity of a real BTCUSDT trade', () => {
    const p = parseDecimal('61837.63000000');
    expect(formatDecimal(mulDecimalWide(p, parseDecimal('0.04800000')), PRODUCT_SCALE)).toBe('2968.20624');
    expect(formatDecimal(mulDecimal(p, parseDecimal('0.00009000')))).toBe('5.5653867');
  });

  it('mulDecimal refuses a product it cannot hold at 18 decimals; the wide one is exact', () => {
    const a = parseDecimal('0.0000000001');
    const b = parseDecimal('0.000000001');
    expect(() => mulDecimal(a, b)).toThrow(DecimalError);
    expect(formatDecimal(mulDecimalWide(a, b), PRODUCT_SCALE)).toBe('0.0000000000000000001');
    expect(() => rescaleToDecimal(mulDecimalWide(a, b), PRODUCT_SCALE)).toThrow(DecimalError);
  });

  it('negative products and comparisons', () => {
    expect(formatDecimal(mulDecimal(parseDecimal('-1.5'), parseDecimal('2')))).toBe('-3');
    expect(compareDecimal(parseDecimal('-1'), parseDecimal('0.5'))).toBe(-1);
    expect(compareDecimal(parseDecimal('2.50'), parseDecimal('2.5'))).toBe(0);
    expect(compareDecimal(parseDecimal('100'), parseDecimal('99.99999999'))).toBe(1);
  });

  it('divides by an integer: exact for 5 and 20, half-even rounding otherwise', () => {
    expect(formatDecimal(divDecimalByInt(parseDecimal('10.01'), 20))).toBe('0.5005');
    expect(formatDecimal(divDecimalByInt(parseDecimal('1'), 3))).toBe('0.333333333333333333');
    expect(formatDecimal(divDecimalByInt(parseDecimal('2'), 3))).toBe('0.666666666666666667');
    expect(formatDecimal(divDecimalByInt(parseDecimal('-2'), 3))).toBe('-0.666666666666666667');
    expect(() => divDecimalByInt(1n, 0)).toThrow(DecimalError);
  });
});

describe('checkDecimal', () => {
  it('accepts and refuses exactly what parseDecimal does, with the same message', () => {
    const samples = [
      '61837.63000000',
      '0.00000001',
      '-0.5',
      '+12',
      '12',
      '.5',
      '5.',
      '0',
      '-0',
      '1.000000000000000000000',
      '1.0000000000000000001',
      '0.123456789012345678',
      '0.1234567890123456789',
      '123456789012345678901234567890',
      '',
      '.',
      '-',
      '+',
      '1e5',
      '1,5',
      ' 1',
      '1 ',
      '1..2',
      '--1',
      '1-',
      'abc',
    ];
    // And random strings over the characters a decimal is made of.
    const chars = '0123456789.-+e ';
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = next() % 24;
      for (let j = 0; j < n; j++) s += chars[next() % chars.length];
      samples.push(s);
    }
    for (const text of samples) {
      let expected: string | undefined;
      try {
        parseDecimal(text);
      } catch (error) {
        expected = (error as Error).message;
      }
      let actual: string | undefined;
      try {
        checkDecimal(text);
      } catch (error) {
        actual = (error as Error).message;
      }
      expect({ text, error: actual }).toEqual({ text, error: expected });
    }
  });
});
