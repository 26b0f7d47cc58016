import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../core/errors.ts';
import { createEmaStream, createSmaStream, ema, sma } from './index.ts';
import { loadTalibReference } from './reference-data.ts';

describe('streaming averages equal the batch ones bit for bit', () => {
  const close = loadTalibReference().columns.close!;

  for (const period of [1, 2, 20, 200]) {
    it(`SMA(${period}) and EMA(${period}) over 10,999 real closes`, () => {
      const s = createSmaStream(period);
      const e = createEmaStream(period);
      const batchS = sma(close, period);
      const batchE = ema(close, period);
      for (let i = 0; i < close.length; i++) {
        // a forming bar peeks at several prices before the close is committed
        expect(Object.is(s.peek(close[i]!), batchS[i])).toBe(true);
        expect(Object.is(e.peek(close[i]!), batchE[i])).toBe(true);
        e.peek(close[i]! * 2);
        s.peek(close[i]! * 2);
        const sv = s.push(close[i]!);
        const ev = e.push(close[i]!);
        expect(Object.is(sv, batchS[i]), `sma at ${i}`).toBe(true);
        expect(Object.is(ev, batchE[i]), `ema at ${i}`).toBe(true);
      }
      expect(s.count).toBe(close.length);
      expect(s.value).toBe(batchS[close.length - 1]);
    });
  }

  it('rejects a bad period', () => {
    expect(() => createSmaStream(0)).toThrowError('period: must be an integer >= 1 (got 0)');
    expect(() => createEmaStream(2.5)).toThrowError(InvalidInputError);
  });
});
