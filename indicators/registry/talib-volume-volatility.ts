import { periodParam, realParam } from '../params.ts';
import { sar } from '../sar.ts';
import type { IndicatorDefinition } from '../types.ts';
import { atr, natr, trange } from '../volatility.ts';
import { ad, adosc, mfi, obv } from '../volume.ts';

const period = (d: number, min = 2) => periodParam('period', d, 'number of bars in the window', min);

/** Ranges, SAR and volume indicators (all TA-Lib-equal). */
export const volumeVolatilityDefinitions: readonly IndicatorDefinition[] = [
  {
    name: 'trange',
    title: 'True range',
    params: [],
    outputs: ['trange'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s) => ({ trange: trange(s.high, s.low, s.close) }),
  },
  {
    name: 'atr',
    title: 'Average true range (Wilder)',
    params: [period(14, 1)],
    outputs: ['atr'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ atr: atr(s.high, s.low, s.close, p.period!) }),
  },
  {
    name: 'natr',
    title: 'Normalized average true range (% of close)',
    params: [period(14, 1)],
    outputs: ['natr'],
    inputs: ['high', 'low', 'close'],
    overlay: false,
    compute: (s, p) => ({ natr: natr(s.high, s.low, s.close, p.period!) }),
  },
  {
    name: 'sar',
    title: 'Parabolic SAR',
    params: [
      realParam('acceleration', 0.02, 0, 1, 'acceleration factor start and step'),
      realParam('maximum', 0.2, 0, 1, 'acceleration factor cap'),
    ],
    outputs: ['sar'],
    inputs: ['high', 'low'],
    overlay: true,
    compute: (s, p) => ({ sar: sar(s.high, s.low, p.acceleration!, p.maximum!) }),
  },
  {
    name: 'obv',
    title: 'On-balance volume',
    params: [],
    outputs: ['obv'],
    inputs: ['close', 'volume'],
    overlay: false,
    compute: (s) => ({ obv: obv(s.close, s.volume) }),
  },
  {
    name: 'ad',
    title: 'Chaikin accumulation/distribution line',
    params: [],
    outputs: ['ad'],
    inputs: ['high', 'low', 'close', 'volume'],
    overlay: false,
    compute: (s) => ({ ad: ad(s.high, s.low, s.close, s.volume) }),
  },
  {
    name: 'adosc',
    title: 'Chaikin A/D oscillator',
    params: [periodParam('fast', 3, 'fast EMA period'), periodParam('slow', 10, 'slow EMA period')],
    outputs: ['adosc'],
    inputs: ['high', 'low', 'close', 'volume'],
    overlay: false,
    compute: (s, p) => ({ adosc: adosc(s.high, s.low, s.close, s.volume, p.fast!, p.slow!) }),
  },
  {
    name: 'mfi',
    title: 'Money flow index',
    params: [period(14)],
    outputs: ['mfi'],
    inputs: ['high', 'low', 'close', 'volume'],
    overlay: false,
    compute: (s, p) => ({ mfi: mfi(s.high, s.low, s.close, s.volume, p.period!) }),
  },
];
