import { describe, expect, it } from 'vitest';
import { computeIndicator } from './index.ts';
import { loadTulipVectors, type TulipVector } from './tulip-vectors.ts';

/**
 * Tulip vector name -> our indicator, the option names in Tulip's order, Tulip's input
 * columns and its output columns in order. Only indicators whose DEFINITION is the same
 * as Tulip's are listed. Left out on purpose (different definitions, not bugs): EMA,
 * DEMA, TEMA, MACD and KAMA (Tulip seeds with the first value, TA-Lib with an SMA), ATR,
 * NATR, DI, ADX (Tulip's Wilder seed differs), TR (Tulip defines bar 0 as high-low),
 * OBV (Tulip starts at 0, TA-Lib at volume[0]), PSAR (Tulip's initial direction differs).
 */
const MAPPING: Record<
  string,
  { name: string; options: string[]; inputs: string[]; outputs: string[]; scale?: number }
> = {
  sma: { name: 'sma', options: ['period'], inputs: ['close'], outputs: ['sma'] },
  wma: { name: 'wma', options: ['period'], inputs: ['close'], outputs: ['wma'] },
  trima: { name: 'trima', options: ['period'], inputs: ['close'], outputs: ['trima'] },
  hma: { name: 'hma', options: ['period'], inputs: ['close'], outputs: ['hma'] },
  vwma: { name: 'vwma', options: ['period'], inputs: ['close', 'volume'], outputs: ['vwma'] },
  bbands: {
    name: 'bbands',
    options: ['period', 'devUp'],
    inputs: ['close'],
    outputs: ['lower', 'middle', 'upper'],
  },
  stddev: { name: 'stddev', options: ['period'], inputs: ['close'], outputs: ['stddev'] },
  rsi: { name: 'rsi', options: ['period'], inputs: ['close'], outputs: ['rsi'] },
  mom: { name: 'mom', options: ['period'], inputs: ['close'], outputs: ['mom'] },
  // Tulip's ROC is a fraction; ours (TA-Lib's) is in percent.
  roc: { name: 'roc', options: ['period'], inputs: ['close'], outputs: ['roc'], scale: 100 },
  cci: { name: 'cci', options: ['period'], inputs: ['high', 'low', 'close'], outputs: ['cci'] },
  willr: { name: 'willr', options: ['period'], inputs: ['high', 'low', 'close'], outputs: ['willr'] },
  stoch: {
    name: 'stoch',
    options: ['fastK', 'slowK', 'slowD'],
    inputs: ['high', 'low', 'close'],
    outputs: ['slowk', 'slowd'],
  },
  ultosc: {
    name: 'ultosc',
    options: ['period1', 'period2', 'period3'],
    inputs: ['high', 'low', 'close'],
    outputs: ['ultosc'],
  },
  aroon: { name: 'aroon', options: ['period'], inputs: ['high', 'low'], outputs: ['down', 'up'] },
  ad: { name: 'ad', options: [], inputs: ['high', 'low', 'close', 'volume'], outputs: ['ad'] },
  adosc: {
    name: 'adosc',
    options: ['fast', 'slow'],
    inputs: ['high', 'low', 'close', 'volume'],
    outputs: ['adosc'],
  },
  mfi: { name: 'mfi', options: ['period'], inputs: ['high', 'low', 'close', 'volume'], outputs: ['mfi'] },
  // Donchian's upper/lower lines are Tulip's rolling max of highs / min of lows.
  max: { name: 'donchian', options: ['period'], inputs: ['high'], outputs: ['upper'] },
  min: { name: 'donchian', options: ['period'], inputs: ['low'], outputs: ['lower'] },
};

/**
 * Tulip prints 2-4 decimals (untest.txt rounds to 3), so the bound is rounding-sized:
 * |ours - tulip| <= 1e-3 * max(|tulip|, 1).
 */
const TOLERANCE = 1e-3;

function run(vector: TulipVector): void {
  const map = MAPPING[vector.name]!;
  const input: Record<string, number[]> = {};
  map.inputs.forEach((column, i) => {
    input[column] = vector.series[i]!;
  });
  if (vector.name === 'max') input.low = input.high!;
  if (vector.name === 'min') input.high = input.low!;
  const params: Record<string, number> = {};
  map.options.forEach((option, i) => {
    params[option] = vector.options[i]!;
  });
  if (vector.name === 'bbands') params.devDown = params.devUp!;
  const { columns } = computeIndicator(map.name, input, params);
  map.outputs.forEach((output, j) => {
    const expected = vector.series[map.inputs.length + j]!;
    const actual = columns[output]!;
    // Tulip lists outputs from its lookback on; align on the last bar.
    const offset = actual.length - expected.length;
    expect(Number.isNaN(actual[offset]!), `${output} defined at the first Tulip output`).toBe(false);
    expected.forEach((e, i) => {
      const a = actual[offset + i]! / (map.scale ?? 1);
      expect(Math.abs(a - e), `${output}[${offset + i}]: ${a} vs ${e}`).toBeLessThanOrEqual(
        TOLERANCE * Math.max(Math.abs(e), 1),
      );
    });
  });
}

describe('Tulip Indicators test vectors (where the definitions agree)', () => {
  const vectors = loadTulipVectors().filter((v) => MAPPING[v.name] !== undefined);

  it('finds the vectors', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(38);
  });

  for (const vector of vectors) {
    it(`${vector.file}: ${vector.name} ${vector.options.join(' ')}`, () => run(vector));
  }
});
