import { describe, expect, it } from 'vitest';
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
        const sv = s.push(close[i]!);
        const ev = e.push(close[i]!);
        expect(Object.is(sv, batchS[i]), `sma at ${i}`).toBe(true);
        expect(Object.is(ev, batchE[i]), `ema at ${i}`).toBe(true);
      }
      expect(s.count).toBe(close.length);
      expect(s.value).toBe(batchS[close.length - 1]);
    });
  }
});
