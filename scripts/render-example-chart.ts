/**
 * Renders docs/chart-example.png: 200 real 5m BTC/USDT candles (../shared/data) with Bollinger
 * Bands and an RSI(14) pane from the indicator library, and drawings, as render_chart draws them.
 * Run: node --import tsx scripts/render-example-chart.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderChartPng } from '../mcp-servers/charting/render/index.ts';
import { computeIndicator } from '../pipeline/indicators/index.ts';

const root = resolve(import.meta.dirname, '..');
const csv = readFileSync(
  resolve(root, '../shared/data/candles/freqtrade-BTC_USDT-5m-20230102-20230209.csv'),
  'utf8',
);
const rows = csv
  .trim()
  .split('\n')
  .slice(1)
  .slice(-230)
  .map((l) => l.split(',').map(Number));
const col = (i: number) => rows.map((r) => r[i] ?? Number.NaN);
const bars = {
  time: col(0).map((ms) => ms * 1000),
  open: col(1),
  high: col(2),
  low: col(3),
  close: col(4),
  volume: col(5),
};
const bb = computeIndicator('bbands', bars, { period: 20 }).columns;
const rsi = computeIndicator('rsi', bars, { period: 14 }).columns;
const last = 200;
const cut = <T>(a: ArrayLike<T>): T[] => Array.from(a).slice(-last);
const shown = {
  time: cut(bars.time),
  open: cut(bars.open),
  high: cut(bars.high),
  low: cut(bars.low),
  close: cut(bars.close),
  volume: cut(bars.volume),
};
const hi = Math.max(...shown.high);
const lo = Math.min(...shown.low);
const t = (i: number) => shown.time[i] ?? 0;

const { png } = renderChartPng({
  title: 'BINANCE:BTCUSDT 5m',
  width: 1000,
  height: 620,
  theme: 'dark',
  bars: shown,
  overlays: [
    { name: 'BB upper', values: cut(bb.upper ?? []), color: '#4a90e2' },
    { name: 'BB middle', values: cut(bb.middle ?? []), color: '#f5a623' },
    { name: 'BB lower', values: cut(bb.lower ?? []), color: '#4a90e2' },
  ],
  panes: [
    {
      title: 'RSI 14',
      series: [{ name: 'RSI 14', values: cut(rsi.rsi ?? []), color: '#bd10e0' }],
      levels: [30, 70],
    },
  ],
  drawings: [
    { type: 'hline', price: Math.round(lo), label: `support ${Math.round(lo)}`, color: '#26a69a' },
    {
      type: 'trendline',
      from: { time: t(20), price: shown.high[20] ?? hi },
      to: { time: t(150), price: shown.high[150] ?? hi },
      label: 'trend',
    },
    {
      type: 'rect',
      from: { time: t(160), price: hi },
      to: { time: t(199), price: (hi + lo) / 2 },
      label: 'sell-off',
      color: '#ef5350',
    },
    { type: 'marker', side: 'sell', time: t(165), price: shown.high[165] ?? hi },
  ],
});
writeFileSync(resolve(root, 'docs/chart-example.png'), png);
process.stdout.write(`wrote docs/chart-example.png (${png.length} bytes)\n`);
