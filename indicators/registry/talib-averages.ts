import { macd } from '../macd.ts';
import { dema, ema, kama, sma, tema, trima, wma } from '../moving-averages.ts';
import { periodParam, realParam } from '../params.ts';
import type { IndicatorDefinition } from '../types.ts';
import { bbands, stddev } from '../volatility.ts';

const period = (d: number, min = 2) => periodParam('period', d, 'number of bars in the window', min);

/** Moving averages, MACD and the standard-deviation family (all TA-Lib-equal). */
export const averageDefinitions: readonly IndicatorDefinition[] = [
  {
    name: 'sma',
    title: 'Simple moving average',
    params: [period(20)],
    outputs: ['sma'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ sma: sma(s.close, p.period!) }),
  },
  {
    name: 'ema',
    title: 'Exponential moving average (SMA-seeded)',
    params: [period(20)],
    outputs: ['ema'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ ema: ema(s.close, p.period!) }),
  },
  {
    name: 'wma',
    title: 'Weighted moving average',
    params: [period(20)],
    outputs: ['wma'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ wma: wma(s.close, p.period!) }),
  },
  {
    name: 'dema',
    title: 'Double exponential moving average',
    params: [period(20)],
    outputs: ['dema'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ dema: dema(s.close, p.period!) }),
  },
  {
    name: 'tema',
    title: 'Triple exponential moving average',
    params: [period(20)],
    outputs: ['tema'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ tema: tema(s.close, p.period!) }),
  },
  {
    name: 'trima',
    title: 'Triangular moving average',
    params: [period(20)],
    outputs: ['trima'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ trima: trima(s.close, p.period!) }),
  },
  {
    name: 'kama',
    title: 'Kaufman adaptive moving average',
    params: [period(30)],
    outputs: ['kama'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ kama: kama(s.close, p.period!) }),
  },
  {
    name: 'macd',
    title: 'Moving average convergence/divergence',
    params: [
      periodParam('fast', 12, 'fast EMA period'),
      periodParam('slow', 26, 'slow EMA period'),
      periodParam('signal', 9, 'signal EMA period', 1),
    ],
    outputs: ['macd', 'signal', 'hist'],
    inputs: ['close'],
    overlay: false,
    compute: (s, p) => {
      const r = macd(s.close, p.fast!, p.slow!, p.signal!);
      return { macd: r.macd, signal: r.signal, hist: r.hist };
    },
  },
  {
    name: 'bbands',
    title: 'Bollinger bands',
    params: [
      period(20),
      realParam('devUp', 2, 0, 10, 'standard deviations above the middle band'),
      realParam('devDown', 2, 0, 10, 'standard deviations below the middle band'),
    ],
    outputs: ['upper', 'middle', 'lower'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => {
      const r = bbands(s.close, p.period!, p.devUp!, p.devDown!);
      return { upper: r.upper, middle: r.middle, lower: r.lower };
    },
  },
  {
    name: 'stddev',
    title: 'Standard deviation (population)',
    params: [period(20), realParam('nbDev', 1, 0, 10, 'multiplier applied to the deviation')],
    outputs: ['stddev'],
    inputs: ['close'],
    overlay: false,
    compute: (s, p) => ({ stddev: stddev(s.close, p.period!, p.nbDev!) }),
  },
];
