import { describe, expect, it } from 'vitest';
import { scanDecimal, tryCanonicalDecimal } from '../../core/decimal/index.ts';
import { InvalidInputError } from '../../core/errors.ts';
import { checkColumnDecimal, decimalCastSql, decimalValueToString } from './decimal.ts';
import { openDuckSession } from './duckdb/session.ts';

describe('decimal strings', () => {
  it('scans plain decimals and rejects exponents, blanks and too many digits', () => {
    expect(scanDecimal('61837.63000000')).toBe(5 * 32 + 8);
    expect(scanDecimal('-0.5')).toBe(32 + 1);
    expect(scanDecimal('12')).toBe(2 * 32);
    for (const bad of [
      '',
      '1e5',
      '.5',
      '1.',
      '1.2.3',
      '0x10',
      ' 1',
      '1234567890123456789',
      '0.1234567890123456789',
    ]) {
      expect(scanDecimal(bad), bad).toBe(-1);
    }
    expect(() => checkColumnDecimal('price', 'NaN', { intDigits: 0, fracDigits: 0 })).toThrow(
      InvalidInputError,
    );
  });

  it('casts exactly to DECIMAL(38,18) on both paths and formats back', async () => {
    const session = await openDuckSession({ threads: 1, memoryLimit: '' });
    try {
      const values = [
        '0',
        '61837.63',
        '-1.5',
        '0.000000000000000001',
        '999999999999999999.999999999999999999',
      ];
      for (const v of values) {
        const shape = { intDigits: 0, fracDigits: 0 };
        checkColumnDecimal('x', v, shape);
        for (const sql of [decimalCastSql('$1', shape), `qf_dec($1)`]) {
          const r = await session.connection.runAndReadAll(`SELECT ${sql}`, [v]);
          expect(decimalValueToString(r.getColumns()[0]![0])).toBe(v);
        }
      }
    } finally {
      session.close();
    }
  });

  it('reads a stored value back as its canonical text (catalog-inlined bars rely on it)', async () => {
    const session = await openDuckSession({ threads: 1, memoryLimit: '' });
    try {
      for (const v of ['007.50', '-0.000', '-000.0001', '0.10', '10', '-0', '00', '1.000000000000000000']) {
        const shape = { intDigits: 0, fracDigits: 0 };
        checkColumnDecimal('x', v, shape);
        const r = await session.connection.runAndReadAll(`SELECT ${decimalCastSql('$1', shape)}`, [v]);
        expect(tryCanonicalDecimal(v)).toBe(decimalValueToString(r.getColumns()[0]![0]));
      }
    } finally {
      session.close();
    }
  });

  it('formats DECIMAL values of any scale, and null as empty', () => {
    expect(decimalValueToString({ value: 1236752600000000000000n, scale: 18 })).toBe('1236.7526');
    expect(decimalValueToString({ value: -5n, scale: 3 })).toBe('-0.005');
    expect(decimalValueToString({ value: 0n, scale: 18 })).toBe('0');
    expect(decimalValueToString({ value: 42n, scale: 0 })).toBe('42');
    expect(decimalValueToString(null)).toBe('');
  });
});
