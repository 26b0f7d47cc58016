import { describe, expect, it } from 'vitest';
import {
  computeIndicator,
  computeIndicators,
  getIndicatorInfo,
  InvalidIndicatorInputError,
  indicatorLookback,
  listIndicators,
  parseIndicatorParams,
  UnknownIndicatorError,
} from './index.ts';

const close = Float64Array.from({ length: 200 }, (_, i) => 100 + Math.sin(i / 5) * 10 + i * 0.1);
const bars = {
  open: close,
  high: close.map((c) => c + 1),
  low: close.map((c) => c - 1.5),
  close,
  volume: close.map((_, i) => 10 + (i % 7)),
  time: close.map((_, i) => 1_672_677_900_000_000 + i * 300_000_000),
};

describe('registry', () => {
  it('lists every required indicator with consistent metadata', () => {
    const list = listIndicators();
    const names = list.map((d) => d.name);
    for (const required of [
      'sma',
      'ema',
      'wma',
      'dema',
      'tema',
      'trima',
      'kama',
      'rsi',
      'macd',
      'bbands',
      'stddev',
      'trange',
      'atr',
      'natr',
      'adx',
      'plus_di',
      'minus_di',
      'cci',
      'willr',
      'stoch',
      'aroon',
      'sar',
      'ultosc',
      'mfi',
      'obv',
      'ad',
      'adosc',
      'roc',
      'mom',
      'vwap',
      'ichimoku',
      'supertrend',
      'donchian',
      'keltner',
    ]) {
      expect(names).toContain(required);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const info of list) {
      expect(info).not.toHaveProperty('compute');
      for (const p of info.params) {
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
      }
    }
  });

  it('computes every indicator with its defaults, columns named as listed and aligned to the bars', () => {
    for (const info of listIndicators()) {
      const { columns, warmup } = computeIndicator(info.name, bars);
      expect(Object.keys(columns)).toEqual([...info.outputs]);
      for (const column of Object.values(columns)) {
        expect(column.length).toBe(close.length);
        expect(Number.isNaN(column[warmup]!), `${info.name} defined at warmup ${warmup}`).toBe(false);
      }
      expect(warmup).toBeLessThan(close.length);
    }
  });

  it("reports each indicator's lookback, equal to the warm-up on real-sized data", () => {
    expect(indicatorLookback('sma', { period: 20 })).toBe(19);
    expect(indicatorLookback('macd')).toBe(33);
    expect(indicatorLookback('adx', { period: 14 })).toBe(27);
    expect(indicatorLookback('tema', { period: 20 })).toBe(57);
    expect(indicatorLookback('ichimoku')).toBe(77);
    for (const info of listIndicators()) {
      expect(indicatorLookback(info.name), info.name).toBe(computeIndicator(info.name, bars).warmup);
    }
  });

  it('describes one indicator and validates params without computing', () => {
    expect(getIndicatorInfo('BBANDS').outputs).toEqual(['upper', 'middle', 'lower']);
    expect(parseIndicatorParams('bbands', { period: 10 })).toEqual({ period: 10, devUp: 2, devDown: 2 });
    expect(() => getIndicatorInfo('nope')).toThrowError(UnknownIndicatorError);
  });

  it('computes a batch equal to one-by-one calls and validates every request first', () => {
    const batch = computeIndicators(bars, [{ name: 'rsi' }, { name: 'bbands', params: { period: 10 } }]);
    expect([...batch[0]!.columns.rsi!]).toEqual([...computeIndicator('rsi', bars).columns.rsi!]);
    expect([...batch[1]!.columns.lower!]).toEqual([
      ...computeIndicator('bbands', bars, { period: 10 }).columns.lower!,
    ]);
    expect(() =>
      computeIndicators(bars, [{ name: 'rsi' }, { name: 'sma', params: { period: 1 } }]),
    ).toThrowError(/sma: period must be an integer 2..1000 \(got 1\)/);
    expect(() => computeIndicators({ close }, [{ name: 'rsi' }, { name: 'atr' }])).toThrowError(
      /missing input column\(s\) high, low; rsi\+atr needs close, high, low/,
    );
  });

  it('accepts number[] as well as Float64Array and upper-case names', () => {
    const a = computeIndicator('SMA', { close: [...close] }, { period: 5 }).columns.sma!;
    const b = computeIndicator('sma', { close }, { period: 5 }).columns.sma!;
    expect([...a]).toEqual([...b]);
  });
});

describe('validation', () => {
  it('names the valid indicators when the name is unknown', () => {
    expect(() => computeIndicator('smaa', bars)).toThrowError(UnknownIndicatorError);
    expect(() => computeIndicator('smaa', bars)).toThrowError(
      /unknown indicator "smaa"; valid names: sma, ema/,
    );
  });

  it('says which param is wrong, its range and the value given', () => {
    expect(() => computeIndicator('sma', bars, { period: 0 })).toThrowError(
      'sma: period must be an integer 2..1000 (got 0)',
    );
    expect(() => computeIndicator('rsi', bars, { period: 2.5 })).toThrowError(
      /period must be an integer 2..1000 \(got 2.5\)/,
    );
    expect(() => computeIndicator('bbands', bars, { devUp: 'x' })).toThrowError(
      /devUp must be a number 0..10 \(got "x"\)/,
    );
    expect(() => computeIndicator('sma', bars, { length: 5 })).toThrowError(
      /unknown parameter\(s\) length; valid: period/,
    );
    try {
      computeIndicator('sma', bars, { period: -1 });
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidIndicatorInputError);
      expect((err as InvalidIndicatorInputError).retriable).toBe(false);
      expect((err as InvalidIndicatorInputError).field).toBe('params');
    }
  });

  it('rejects missing or misaligned input columns', () => {
    expect(() => computeIndicator('atr', { close })).toThrowError(
      /missing input column\(s\) high, low; atr needs high, low, close/,
    );
    expect(() => computeIndicator('atr', { ...bars, low: bars.low.subarray(1) })).toThrowError(
      /differ in length/,
    );
  });

  it('rejects non-finite input values, naming the column and bar', () => {
    const bad = Float64Array.from(close);
    bad[17] = Number.NaN;
    expect(() => computeIndicator('ema', { close: bad })).toThrowError(
      /close\[17\] is NaN; input values must be finite numbers/,
    );
  });

  it('handles 0, 1 and 2 bars for every indicator (columns of that length, no throw)', () => {
    for (const length of [0, 1, 2]) {
      const a = Float64Array.from({ length }, (_, i) => 100 + i);
      const tiny = { open: a, high: a, low: a, close: a, volume: a, time: a };
      for (const info of listIndicators()) {
        const { columns } = computeIndicator(info.name, tiny);
        for (const column of Object.values(columns)) expect(column.length).toBe(length);
      }
    }
  });

  it('returns all-NaN columns (warmup = length) when there are fewer bars than the lookback', () => {
    const { columns, warmup } = computeIndicator('sma', { close: [1, 2, 3] }, { period: 5 });
    expect([...columns.sma!].every(Number.isNaN)).toBe(true);
    expect(warmup).toBe(3);
  });
});
