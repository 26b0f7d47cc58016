import { describe, expect, it } from 'vitest';
import { canonicalDecimal, mulDecimal, subDecimal } from './decimal.ts';

describe('canonicalDecimal', () => {
  it.each([
    ['61837.63000000', '61837.63'],
    ['0.02000000', '0.02'],
    ['0.00000000', '0'],
    ['1.00000', '1'],
    ['100', '100'],
    ['0', '0'],
    ['007.50', '7.5'],
    ['-0.0', '0'],
    ['-1.2300', '-1.23'],
    ['61804.8', '61804.8'],
  ])('%s -> %s', (input, expected) => {
    expect(canonicalDecimal(input)).toBe(expected);
  });

  it.each(['', '1e5', '.5', '5.', '+1', '1.2.3', ' 1', 'abc', '-'])('rejects %j', (input) => {
    expect(canonicalDecimal(input)).toBeNull();
  });
});

describe('exact arithmetic', () => {
  it('multiplies without float error', () => {
    expect(mulDecimal('61837.63', '0.02')).toBe('1236.7526');
    expect(mulDecimal('0.1', '0.2')).toBe('0.02');
    expect(mulDecimal('61837.63', '0.00009')).toBe('5.5653867');
    expect(mulDecimal('3', '0')).toBe('0');
  });
  it('subtracts without float error', () => {
    expect(subDecimal('0.20926', '0.10436')).toBe('0.1049');
    expect(subDecimal('0.3', '0.1')).toBe('0.2');
    expect(subDecimal('1', '1.5')).toBe('-0.5');
    expect(subDecimal('3005', '1900')).toBe('1105');
  });
});

describe('mulDecimal fast and slow paths agree', () => {
  it('matches BigInt on products near and beyond 2^53', () => {
    expect(mulDecimal('94906265.62413', '94906265.62413')).toBe('9007199254717919.7384382569');
    expect(mulDecimal('-2.5', '0.4')).toBe('-1');
    expect(mulDecimal('9007199.254740991', '1')).toBe('9007199.254740991');
    expect(mulDecimal('90071992.5474099', '0.1')).toBe('9007199.25474099');
    expect(mulDecimal('-0.5', '0')).toBe('0');
    expect(mulDecimal('0.00000001', '0.00000001')).toBe('0.0000000000000001');
    expect(mulDecimal('123456789012345678', '10')).toBe('1234567890123456780');
  });
});
