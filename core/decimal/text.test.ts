import { describe, expect, it } from 'vitest';
import { mulDecimalText, subDecimalText, tryCanonicalDecimal } from './text.ts';

describe('tryCanonicalDecimal', () => {
  it.each([
    ['61837.63000000', '61837.63'],
    ['0.02000000', '0.02'],
    ['0.00000000', '0'],
    ['1.00000', '1'],
    ['100', '100'],
    ['0', '0'],
    ['007.50', '7.5'],
    ['-0.0', '0'],
    ['-0', '0'],
    ['-000', '0'],
    ['-1.2300', '-1.23'],
    ['61804.8', '61804.8'],
  ])('%s -> %s', (input, expected) => {
    expect(tryCanonicalDecimal(input)).toBe(expected);
  });

  it.each(['', '1e5', '.5', '5.', '+1', '1.2.3', ' 1', 'abc', '-'])('rejects %j', (input) => {
    expect(tryCanonicalDecimal(input)).toBeNull();
  });
});

describe('exact arithmetic', () => {
  it('multiplies without float error', () => {
    expect(mulDecimalText('61837.63', '0.02')).toBe('1236.7526');
    expect(mulDecimalText('0.1', '0.2')).toBe('0.02');
    expect(mulDecimalText('61837.63', '0.00009')).toBe('5.5653867');
    expect(mulDecimalText('3', '0')).toBe('0');
  });
  it('subtracts without float error', () => {
    expect(subDecimalText('0.20926', '0.10436')).toBe('0.1049');
    expect(subDecimalText('0.3', '0.1')).toBe('0.2');
    expect(subDecimalText('1', '1.5')).toBe('-0.5');
    expect(subDecimalText('3005', '1900')).toBe('1105');
  });
});

describe('mulDecimalText fast and slow paths agree', () => {
  it('matches BigInt on products near and beyond 2^53', () => {
    expect(mulDecimalText('94906265.62413', '94906265.62413')).toBe('9007199254717919.7384382569');
    expect(mulDecimalText('-2.5', '0.4')).toBe('-1');
    expect(mulDecimalText('9007199.254740991', '1')).toBe('9007199.254740991');
    expect(mulDecimalText('90071992.5474099', '0.1')).toBe('9007199.25474099');
    expect(mulDecimalText('-0.5', '0')).toBe('0');
    expect(mulDecimalText('0.00000001', '0.00000001')).toBe('0.0000000000000001');
    expect(mulDecimalText('123456789012345678', '10')).toBe('1234567890123456780');
  });
});
