import { aroon } from '../aroon.ts';
import { directionalMovement } from '../directional-movement.ts';
import { cci, mom, roc, rsi, stoch, ultosc, willr } from '../oscillators.ts';
import { periodParam } from '../params.ts';
import type { IndicatorDefinition } from '../types.ts';

const period = (d: number, min = 2) => periodParam('period', d, 'number of bars in the window', min);

/** Momentum oscillators and the directional movement system (all TA-Lib-equal). */
export const oscillatorDefinitions: readonly IndicatorDefinition[] = [
  {
    name: 'rsi',
    title: 'Relative strength index (Wilder)',
    params: [period(14)],
    outputs: ['rsi'],
    inputs: ['close'],
    overlay: false,
    compute: (s, p) => ({ rsi: rsi(s.close, p.period!) }),
  },
  {
    name: 'roc',
    title: 'Rate of change (%)',
    params: [period(10, 1)],
    outputs: ['roc'],
    inputs: ['close'],
    overlay: false,
    compute: (s, p) => ({ roc: roc(s.close, p.period!) }),
  },
  {
    name: 'mom',
    title: 'Momentum',
    params: [period(10, 1)],
    outputs: ['mom'],
    inputs: ['close'],
    overlay: false,
    compute: (s, p) => ({ mom: mom(s.close, p.period!) }),
  },
  {
    name: 'cci',
    title: 'Commodity channel index',
    params: [period(20)],
    outputs: ['cci'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ cci: cci(s.high, s.low, s.close, p.period!) }),
  },
  {
    name: 'willr',
    title: "Williams' %R",
    params: [period(14)],
    outputs: ['willr'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ willr: willr(s.high, s.low, s.close, p.period!) }),
  },
  {
    name: 'stoch',
    title: 'Slow stochastic (SMA smoothing)',
    params: [
      periodParam('fastK', 14, 'bars in the %K high/low window', 1),
      periodParam('slowK', 3, 'SMA period smoothing %K', 1),
      periodParam('slowD', 3, 'SMA period of %D', 1),
    ],
    outputs: ['slowk', 'slowd'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => {
      const r = stoch(s.high, s.low, s.close, p.fastK!, p.slowK!, p.slowD!);
      return { slowk: r.slowk, slowd: r.slowd };
    },
  },
  {
    name: 'ultosc',
    title: 'Ultimate oscillator',
    params: [
      periodParam('period1', 7, 'short period (weight 4)', 1),
      periodParam('period2', 14, 'medium period (weight 2)', 1),
      periodParam('period3', 28, 'long period (weight 1)', 1),
    ],
    outputs: ['ultosc'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ ultosc: ultosc(s.high, s.low, s.close, p.period1!, p.period2!, p.period3!) }),
  },
  {
    name: 'aroon',
    title: 'Aroon',
    params: [period(14)],
    outputs: ['down', 'up'],
    inputs: ['high', 'low'],
    overlay: false,
    compute: (s, p) => {
      const r = aroon(s.high, s.low, p.period!);
      return { down: r.down, up: r.up };
    },
  },
  {
    name: 'adx',
    title: 'Average directional index',
    params: [period(14)],
    outputs: ['adx'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ adx: directionalMovement(s.high, s.low, s.close, p.period!).adx }),
  },
  {
    name: 'dmi',
    title: 'Directional movement index (+DI, -DI and ADX in one pass)',
    params: [period(14)],
    outputs: ['plus_di', 'minus_di', 'adx'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => {
      const r = directionalMovement(s.high, s.low, s.close, p.period!);
      return { plus_di: r.plusDi, minus_di: r.minusDi, adx: r.adx };
    },
  },
  {
    name: 'plus_di',
    title: 'Plus directional indicator (+DI)',
    params: [period(14)],
    outputs: ['plus_di'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ plus_di: directionalMovement(s.high, s.low, s.close, p.period!).plusDi }),
  },
  {
    name: 'minus_di',
    title: 'Minus directional indicator (-DI)',
    params: [period(14)],
    outputs: ['minus_di'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ minus_di: directionalMovement(s.high, s.low, s.close, p.period!).minusDi }),
  },
];
