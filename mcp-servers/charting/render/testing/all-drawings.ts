/**
 * Test and docs fixture: real BTC/USDT 5m candles from the recorded data and one drawing of
 * every catalogue kind placed on them (used by render.test.ts and scripts/drawings-chart.ts).
 */
import { readFileSync } from 'node:fs';
import { recordedData } from '../../../../test/support/index.ts';
import type { Drawing, DrawingType } from '../../catalogue.ts';
import type { ChartSpecInput } from '../spec.ts';

const CANDLES = recordedData('candles', 'freqtrade-BTC_USDT-5m-20230102-20230209.csv');

/** OHLCV columns of recorded candles. */
export interface BarColumns {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** The last `n` real 5m BTC/USDT candles, ending `skip` candles before the end of the file. */
export function loadBars(n: number, skip = 0): BarColumns {
  const all = readFileSync(CANDLES, 'utf8').trim().split('\n').slice(1);
  const lines = all.slice(all.length - n - skip, all.length - skip);
  const cols: BarColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  for (const line of lines) {
    const [t, o, h, l, c, v] = line.split(',').map(Number);
    cols.time.push((t ?? 0) * 1000);
    cols.open.push(o ?? 0);
    cols.high.push(h ?? 0);
    cols.low.push(l ?? 0);
    cols.close.push(c ?? 0);
    cols.volume.push(v ?? 0);
  }
  return cols;
}

/** Index of the highest high / lowest low in [from, to). */
function extremeIndex(values: readonly number[], from: number, to: number, sign: 1 | -1): number {
  let best = from;
  for (let i = from; i < to; i++) if (sign * (values[i] ?? 0) > sign * (values[best] ?? 0)) best = i;
  return best;
}

/** One drawing of each kind, anchored on the bars' real swings. */
export function drawingsOfEveryKind(bars: BarColumns): Record<DrawingType, Drawing> {
  const n = bars.time.length;
  const t = (i: number) => bars.time[i] ?? 0;
  const hi = (i: number) => bars.high[i] ?? 0;
  const lo = (i: number) => bars.low[i] ?? 0;
  const low1 = extremeIndex(bars.low, 0, Math.floor(n * 0.35), -1);
  const high1 = extremeIndex(bars.high, Math.floor(n * 0.35), Math.floor(n * 0.7), 1);
  const low2 = extremeIndex(bars.low, Math.floor(n * 0.55), Math.floor(n * 0.85), -1);
  const top = Math.max(...bars.high);
  const bottom = Math.min(...bars.low);
  const span = top - bottom;
  const entryIndex = Math.floor(n * 0.8);
  const entry = bars.close[entryIndex] ?? 0;
  return {
    hline: { type: 'hline', price: bottom + span * 0.9, label: 'resistance', color: '#e040fb' },
    vline: { type: 'vline', time: t(Math.floor(n * 0.5)), label: 'session', color: '#90a4ae' },
    trendline: {
      type: 'trendline',
      from: { time: t(low1), price: lo(low1) },
      to: { time: t(high1), price: hi(high1) },
      label: 'trend',
      color: '#ffeb3b',
    },
    ray: {
      type: 'ray',
      from: { time: t(low1), price: lo(low1) },
      to: { time: t(low2), price: lo(low2) },
      label: 'ray',
      color: '#ff9800',
    },
    rect: {
      type: 'rect',
      from: { time: t(Math.floor(n * 0.05)), price: bottom + span * 0.75 },
      to: { time: t(Math.floor(n * 0.2)), price: bottom + span * 0.6 },
      label: 'zone',
      color: '#00e5ff',
    },
    channel: {
      type: 'channel',
      from: { time: t(Math.floor(n * 0.05)), price: bottom + span * 0.15 },
      to: { time: t(Math.floor(n * 0.3)), price: bottom + span * 0.35 },
      offset: span * 0.15,
      label: 'channel',
      color: '#7c4dff',
    },
    fib: {
      type: 'fib',
      from: { time: t(low1), price: lo(low1) },
      to: { time: t(high1), price: hi(high1) },
      color: '#4dd0e1',
    },
    position: {
      type: 'position',
      side: 'long',
      entry: { time: t(entryIndex), price: entry },
      stop: entry - span * 0.12,
      target: entry + span * 0.25,
    },
    range: {
      type: 'range',
      from: { time: t(high1), price: hi(high1) },
      to: { time: t(low2), price: lo(low2) },
    },
    text: {
      type: 'text',
      time: t(Math.floor(n * 0.12)),
      price: bottom + span * 0.05,
      text: 'note',
      color: '#bdbdbd',
    },
    callout: {
      type: 'callout',
      at: { time: t(high1), price: hi(high1) },
      text: 'swing high',
      color: '#ffffff',
    },
    marker: { type: 'marker', side: 'buy', time: t(low2), price: lo(low2), text: 'buy' },
  };
}

/** A chart of `n` recorded bars with one drawing of every kind. */
export function allDrawingsSpec(n = 150): ChartSpecInput {
  const bars = loadBars(n, 600);
  return {
    title: 'BINANCE:BTCUSDT 5m — every drawing kind',
    width: 1200,
    height: 700,
    theme: 'dark',
    bars,
    drawings: Object.values(drawingsOfEveryKind(bars)),
  };
}
