import { beforeAll, describe, expect, it } from 'vitest';
import { computeIndicator, type IndicatorInput } from './index.ts';
import { loadTalibReference, type TalibReference } from './reference-data.ts';

/**
 * Each TA-Lib column of the reference file, as (indicator, params, output column).
 * Parameters follow the column names (function_params) and PROVENANCE.md.
 */
const CASES: ReadonlyArray<
  readonly [column: string, name: string, params: Record<string, number>, output: string]
> = [
  ['sma_20', 'sma', { period: 20 }, 'sma'],
  ['ema_12', 'ema', { period: 12 }, 'ema'],
  ['ema_26', 'ema', { period: 26 }, 'ema'],
  ['wma_20', 'wma', { period: 20 }, 'wma'],
  ['dema_20', 'dema', { period: 20 }, 'dema'],
  ['tema_20', 'tema', { period: 20 }, 'tema'],
  ['trima_20', 'trima', { period: 20 }, 'trima'],
  ['kama_30', 'kama', { period: 30 }, 'kama'],
  ['rsi_14', 'rsi', { period: 14 }, 'rsi'],
  ['macd_12_26_9', 'macd', { fast: 12, slow: 26, signal: 9 }, 'macd'],
  ['macd_signal_12_26_9', 'macd', { fast: 12, slow: 26, signal: 9 }, 'signal'],
  ['macd_hist_12_26_9', 'macd', { fast: 12, slow: 26, signal: 9 }, 'hist'],
  ['bb_upper_20_2', 'bbands', { period: 20, devUp: 2, devDown: 2 }, 'upper'],
  ['bb_middle_20_2', 'bbands', { period: 20, devUp: 2, devDown: 2 }, 'middle'],
  ['bb_lower_20_2', 'bbands', { period: 20, devUp: 2, devDown: 2 }, 'lower'],
  ['stddev_20', 'stddev', { period: 20, nbDev: 1 }, 'stddev'],
  ['trange', 'trange', {}, 'trange'],
  ['atr_14', 'atr', { period: 14 }, 'atr'],
  ['natr_14', 'natr', { period: 14 }, 'natr'],
  ['adx_14', 'adx', { period: 14 }, 'adx'],
  ['plus_di_14', 'plus_di', { period: 14 }, 'plus_di'],
  ['minus_di_14', 'minus_di', { period: 14 }, 'minus_di'],
  ['adx_14', 'dmi', { period: 14 }, 'adx'],
  ['plus_di_14', 'dmi', { period: 14 }, 'plus_di'],
  ['minus_di_14', 'dmi', { period: 14 }, 'minus_di'],
  ['cci_20', 'cci', { period: 20 }, 'cci'],
  ['willr_14', 'willr', { period: 14 }, 'willr'],
  ['stoch_k_14_3_3', 'stoch', { fastK: 14, slowK: 3, slowD: 3 }, 'slowk'],
  ['stoch_d_14_3_3', 'stoch', { fastK: 14, slowK: 3, slowD: 3 }, 'slowd'],
  ['aroon_down_14', 'aroon', { period: 14 }, 'down'],
  ['aroon_up_14', 'aroon', { period: 14 }, 'up'],
  ['sar_0.02_0.2', 'sar', { acceleration: 0.02, maximum: 0.2 }, 'sar'],
  ['ultosc_7_14_28', 'ultosc', { period1: 7, period2: 14, period3: 28 }, 'ultosc'],
  ['mfi_14', 'mfi', { period: 14 }, 'mfi'],
  ['obv', 'obv', {}, 'obv'],
  ['ad', 'ad', {}, 'ad'],
  ['adosc_3_10', 'adosc', { fast: 3, slow: 10 }, 'adosc'],
  ['roc_10', 'roc', { period: 10 }, 'roc'],
  ['mom_10', 'mom', { period: 10 }, 'mom'],
];

/**
 * Pass criterion per column: |ours - talib| <= 1e-9 * max(|talib|, 1). Relative 1e-9 wherever the value
 * is at least 1 in magnitude; below that an absolute floor of 1e-9, because several
 * outputs legitimately cross zero (MACD hist, MOM, ROC, CCI, ADOSC) where a relative
 * bound is meaningless, and every one of these series lives on a scale of >= 1 (prices
 * ~20,000, oscillators 0..100, volumes ~1,000), so 1e-9 absolute is still far below
 * their resolution. The code follows TA-Lib's operation order (the three running sums of
 * TRIMA, WMA's weighted/plain sums, CCI's circular-buffer summation order, Wilder seeds
 * for RSI/ATR/DI/ADX, MACD's seeds at slow-1), so most columns are bit-identical to this
 * file; the separate bit-identity test below records that stronger property.
 */
const REL = 1e-9;

/**
 * This file was made by TA-Lib 0.6.0-dev, before two fixes the current release (0.8)
 * has and these indicators follow; those columns are checked against the current
 * release in `reference/talib-heldout.test.ts` instead:
 * - STDDEV used E[x²] - E[x]²: 1.5e-7 relative off here (the current release and a
 *   two-pass std agree to 4e-11). BBANDS' bands carry the same deviation times 2 around
 *   a ~20,000 middle, so they stay within 1e-9 but are no longer bit-identical.
 * - MFI counted a rounding-only change of typical price as a move: up to 10.7 points
 *   off here (row 1752), where the current release and these indicators agree.
 */
const SUPERSEDED = new Set(['stddev_20', 'mfi_14']);
const NOT_BIT_IDENTICAL = new Set([...SUPERSEDED, 'bb_upper_20_2', 'bb_lower_20_2']);

function firstValid(values: Float64Array): number {
  const i = values.findIndex((v) => !Number.isNaN(v));
  return i === -1 ? values.length : i;
}

describe('indicators equal TA-Lib on 10,999 real BTC/USDT 5m candles', () => {
  let ref: TalibReference;
  let input: IndicatorInput;

  beforeAll(() => {
    ref = loadTalibReference();
    const c = ref.columns;
    input = { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
  });

  it('covers every TA-Lib column of the reference file', () => {
    const inputs = new Set(['open_time_ms', 'open', 'high', 'low', 'close', 'volume']);
    const indicatorColumns = Object.keys(ref.columns).filter((k) => !inputs.has(k));
    expect(indicatorColumns.sort()).toEqual([...new Set(CASES.map((c) => c[0]))].sort());
    expect(ref.rows).toBe(10_999);
  });

  it('is bit-identical to TA-Lib in every column but the deviation and MFI ones', () => {
    const notIdentical: string[] = [];
    for (const [column, name, params, output] of CASES) {
      if (NOT_BIT_IDENTICAL.has(column)) continue;
      const expected = ref.columns[column]!;
      const actual = computeIndicator(name, input, params).columns[output]!;
      const differing = expected.filter((e, i) => !Object.is(e, actual[i]!)).length;
      if (differing > 0) notIdentical.push(`${column} (${differing} rows)`);
    }
    expect(notIdentical).toEqual([]);
  });

  for (const [column, name, params, output] of CASES.filter(([column]) => !SUPERSEDED.has(column))) {
    it(`${column} = ${name}(${JSON.stringify(params)}).${output}`, () => {
      const expected = ref.columns[column]!;
      const { columns } = computeIndicator(name, input, params);
      const actual = columns[output]!;
      expect(actual.length).toBe(expected.length);
      // Same warm-up: the first defined index, and NaN exactly where TA-Lib has no value.
      expect(firstValid(actual)).toBe(firstValid(expected));
      let worst = 0;
      let worstAt = -1;
      let nanMismatch = -1;
      for (let i = 0; i < expected.length; i++) {
        const e = expected[i]!;
        const a = actual[i]!;
        if (Number.isNaN(e) !== Number.isNaN(a)) {
          nanMismatch = i;
          break;
        }
        if (Number.isNaN(e)) continue;
        const err = Math.abs(a - e) / Math.max(Math.abs(e), 1);
        if (err > worst) {
          worst = err;
          worstAt = i;
        }
      }
      expect(nanMismatch, `NaN pattern differs at row ${nanMismatch}`).toBe(-1);
      expect(
        worst,
        `worst scaled error ${worst} at row ${worstAt}: ours ${actual[worstAt]} vs TA-Lib ${expected[worstAt]}`,
      ).toBeLessThanOrEqual(REL);
    });
  }
});
