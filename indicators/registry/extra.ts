import { donchian, keltner } from '../channels.ts';
import { ichimoku } from '../ichimoku.ts';
import { hma } from '../moving-averages.ts';
import { periodParam, realParam } from '../params.ts';
import { supertrend } from '../supertrend.ts';
import type { IndicatorDefinition } from '../types.ts';
import { vwma } from '../volume.ts';
import { vwap } from '../vwap.ts';

/** Indicators TA-Lib does not have: VWAP, Ichimoku, Supertrend, Donchian, Keltner, HMA, VWMA. */
export const extraDefinitions: readonly IndicatorDefinition[] = [
  {
    name: 'vwap',
    title: 'Volume-weighted average price (session-anchored)',
    params: [
      {
        ...periodParam('sessionMinutes', 1440, 'session length; 1440 = daily, 10080 = weekly', 1),
        max: 525_600,
      },
      {
        ...periodParam(
          'offsetMinutes',
          0,
          'session start after the epoch-aligned boundary (5760 = Monday for weekly)',
          0,
        ),
        max: 525_600,
      },
    ],
    outputs: ['vwap'],
    inputs: ['time', 'high', 'low', 'close', 'volume'],
    overlay: true,
    compute: (s, p) => ({
      vwap: vwap(s.time, s.high, s.low, s.close, s.volume, p.sessionMinutes!, p.offsetMinutes!),
    }),
  },
  {
    name: 'ichimoku',
    title: 'Ichimoku Kinko Hyo',
    params: [
      periodParam('tenkan', 9, 'conversion line period', 1),
      periodParam('kijun', 26, 'base line period', 1),
      periodParam('senkou', 52, 'leading span B period', 1),
      periodParam(
        'displacement',
        26,
        'bars the leading spans are shifted ahead and the lagging span behind',
        0,
      ),
    ],
    outputs: ['tenkan', 'kijun', 'senkou_a', 'senkou_b', 'chikou'],
    inputs: ['high', 'low', 'close'],
    overlay: true,
    compute: (s, p) => {
      const r = ichimoku(s.high, s.low, s.close, p.tenkan!, p.kijun!, p.senkou!, p.displacement!);
      return { tenkan: r.tenkan, kijun: r.kijun, senkou_a: r.senkouA, senkou_b: r.senkouB, chikou: r.chikou };
    },
  },
  {
    name: 'supertrend',
    title: 'Supertrend',
    params: [
      periodParam('period', 10, 'ATR period', 1),
      realParam('multiplier', 3, 0.1, 100, 'ATR multiple for the bands'),
    ],
    outputs: ['supertrend', 'direction'],
    inputs: ['high', 'low', 'close'],
    overlay: true,
    compute: (s, p) => {
      const r = supertrend(s.high, s.low, s.close, p.period!, p.multiplier!);
      return { supertrend: r.supertrend, direction: r.direction };
    },
  },
  {
    name: 'donchian',
    title: 'Donchian channel',
    params: [periodParam('period', 20, 'bars in the high/low window', 1)],
    outputs: ['upper', 'middle', 'lower'],
    inputs: ['high', 'low'],
    overlay: true,
    compute: (s, p) => {
      const r = donchian(s.high, s.low, p.period!);
      return { upper: r.upper, middle: r.middle, lower: r.lower };
    },
  },
  {
    name: 'keltner',
    title: 'Keltner channel (EMA ± ATR)',
    params: [
      periodParam('period', 20, 'EMA period of the middle line'),
      periodParam('atrPeriod', 10, 'ATR period', 1),
      realParam('multiplier', 2, 0, 100, 'ATR multiple for the bands'),
    ],
    outputs: ['upper', 'middle', 'lower'],
    inputs: ['high', 'low', 'close'],
    overlay: true,
    compute: (s, p) => {
      const r = keltner(s.high, s.low, s.close, p.period!, p.atrPeriod!, p.multiplier!);
      return { upper: r.upper, middle: r.middle, lower: r.lower };
    },
  },
  {
    name: 'hma',
    title: 'Hull moving average',
    params: [periodParam('period', 20, 'number of bars in the window')],
    outputs: ['hma'],
    inputs: ['close'],
    overlay: true,
    compute: (s, p) => ({ hma: hma(s.close, p.period!) }),
  },
  {
    name: 'vwma',
    title: 'Volume-weighted moving average',
    params: [periodParam('period', 20, 'number of bars in the window', 1)],
    outputs: ['vwma'],
    inputs: ['close', 'volume'],
    overlay: true,
    compute: (s, p) => ({ vwma: vwma(s.close, s.volume, p.period!) }),
  },
];
