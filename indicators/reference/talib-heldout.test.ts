import { describe, expect, it } from 'vitest';
import { computeIndicator, listIndicators } from '../index.ts';
import { loadTalibHeldout } from './talib-heldout.ts';

/**
 * Every registry indicator TA-Lib also has (0.8 added Donchian, HMA, VWMA, VWAP), against the current TA-Lib release, on real
 * candles no other indicator test reads (XRP/ETH 1m at ~0.0013, BTC/USDT 1s at ~61,000).
 *
 * Pass: |ours - talib| <= 1e-9 * max(|talib|, floor), and NaN exactly in TA-Lib's lookback.
 * The floor is the mean |value| of that TA-Lib column: a relative bound means nothing
 * where a series crosses zero (MACD hist, MOM, ROC, CCI, ADOSC, a flat window's STDDEV),
 * so there the error is held to 1e-9 of the column's typical size instead. It scales with
 * the series, unlike a fixed floor of 1, which would wave through every XRP/ETH price.
 * The fixture keeps 13 significant digits (rounding <= 5e-13 relative, 2,000x under 1e-9).
 */
const REL = 1e-9;

const ref = loadTalibHeldout();

/**
 * Registry indicators not checked here: TA-Lib has no Ichimoku, and its 0.8 KC and
 * SUPERTREND define other things (KC: another middle line, 4e-4 off; SUPERTREND: another
 * band and a direction from bar 0), while ours follow TradingView (see README).
 */
const NOT_IN_TALIB = new Set(['ichimoku', 'keltner', 'supertrend']);

describe(`indicators equal TA-Lib ${ref.talib.c} on held-out candles`, () => {
  it('covers every registry indicator TA-Lib has, on each series', () => {
    const expected = listIndicators()
      .map((i) => i.name)
      .filter((n) => !NOT_IN_TALIB.has(n))
      .sort();
    for (const s of ref.series)
      expect([...new Set(s.cases.map((c) => c.indicator))].sort()).toEqual(expected);
  });

  for (const s of ref.series) {
    describe(s.name, () => {
      for (const c of s.cases) {
        it(`${c.indicator}(${JSON.stringify(c.params)})`, () => {
          const { columns } = computeIndicator(c.indicator, s.input, c.params);
          for (const [output, label, expected] of c.outputs) {
            const actual = columns[output]!;
            expect(actual.length, label).toBe(expected.length);
            let sum = 0;
            let count = 0;
            for (const e of expected) {
              if (Number.isNaN(e)) continue;
              sum += Math.abs(e);
              count++;
            }
            const floor = count > 0 ? sum / count : 0;
            let worst = 0;
            let worstAt = -1;
            for (let i = 0; i < expected.length; i++) {
              const e = expected[i]!;
              const a = actual[i]!;
              expect(Number.isNaN(a), `${label}: NaN pattern differs at row ${i}`).toBe(Number.isNaN(e));
              if (Number.isNaN(e)) continue;
              const scale = Math.max(Math.abs(e), floor);
              const err = scale === 0 ? Math.abs(a) : Math.abs(a - e) / scale;
              if (err > worst) {
                worst = err;
                worstAt = i;
              }
            }
            expect(
              worst,
              `${output} vs TA-Lib ${label}: worst scaled error ${worst} at row ${worstAt}: ours ${actual[worstAt]}, TA-Lib ${expected[worstAt]}`,
            ).toBeLessThanOrEqual(REL);
          }
        });
      }
    });
  }
});
