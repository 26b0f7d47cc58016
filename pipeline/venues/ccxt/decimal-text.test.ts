import { describe, expect, it } from 'vitest';
import { numberToDecimal } from './decimal-text.ts';

describe('numberToDecimal', () => {
  it('prints venue decimals without exponents', () => {
    expect(numberToDecimal(61837.63)).toBe('61837.63');
    expect(numberToDecimal(1e-8)).toBe('0.00000001');
    expect(numberToDecimal(1.5e-7)).toBe('0.00000015');
    expect(numberToDecimal(0.00141342)).toBe('0.00141342');
    expect(numberToDecimal(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimal(-2.5e-7)).toBe('-0.00000025');
  });
});
