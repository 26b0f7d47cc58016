import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { recordedData } from '../../../test/support/index.ts';
import { type ChartSpecInput, renderChartPng, renderChartSvg } from './index.ts';
import { countColor, decodePng } from './testing/png-decode.ts';

const CANDLES = recordedData('candles', 'freqtrade-BTC_USDT-5m-20230102-20230209.csv');

/** The last `n` real 5m BTC/USDT candles. */
function loadBars(n: number) {
  const lines = readFileSync(CANDLES, 'utf8').trim().split('\n').slice(1).slice(-n);
  const cols = {
    time: [] as number[],
    open: [] as number[],
    high: [] as number[],
    low: [] as number[],
    close: [] as number[],
    volume: [] as number[],
  };
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

function sma(values: readonly number[], period: number): number[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v;
    if (i >= period) sum -= values[i - period] ?? 0;
    return i >= period - 1 ? sum / period : Number.NaN;
  });
}

function fullSpec(): ChartSpecInput {
  const bars = loadBars(200);
  const mid = bars.time[100] ?? 0;
  const last = bars.time[199] ?? 0;
  const hi = Math.max(...bars.high);
  const lo = Math.min(...bars.low);
  const smaValues = sma(bars.close, 20);
  return {
    title: 'BINANCE:BTCUSDT 5m',
    width: 900,
    height: 560,
    theme: 'dark',
    bars,
    overlays: [{ name: 'SMA 20', values: smaValues, color: '#ff9800' }],
    panes: [
      {
        title: 'Momentum',
        series: [
          {
            name: 'Close - SMA 20',
            values: bars.close.map((c, i) => c - (smaValues[i] ?? Number.NaN)),
            color: '#2196f3',
          },
        ],
        levels: [0],
      },
    ],
    drawings: [
      { type: 'hline', price: (hi + lo) / 2, label: 'mid', color: '#e040fb' },
      {
        type: 'rect',
        from: { time: mid, price: hi },
        to: { time: last, price: (hi + lo) / 2 },
        label: 'zone',
        color: '#00e5ff',
      },
      { type: 'marker', side: 'buy', time: mid, price: lo },
    ],
  };
}

describe('renderChartPng', () => {
  it('renders a decodable PNG of the asked size with candles, overlay, sub-pane and drawings', async () => {
    const { png, width, height } = await renderChartPng(fullSpec());
    expect([width, height]).toEqual([900, 560]);
    const img = decodePng(png);
    expect([img.width, img.height]).toEqual([900, 560]);
    // Candles in both colours, the overlay's orange line, the pane's blue line, the drawings' colours.
    expect(countColor(img, '#26a69a')).toBeGreaterThan(200);
    expect(countColor(img, '#ef5350')).toBeGreaterThan(200);
    expect(countColor(img, '#ff9800', 20)).toBeGreaterThan(100);
    const paneRows: [number, number] = [Math.floor(img.height * 0.7), img.height];
    expect(countColor(img, '#2196f3', 20, paneRows)).toBeGreaterThan(100);
    expect(countColor(img, '#e040fb', 60)).toBeGreaterThan(100); // dashed, anti-aliased
    // The zone: #00e5ff at 15% opacity over the dark background (#131722) blends to about #103643.
    expect(countColor(img, '#103643', 6)).toBeGreaterThan(10_000);
  });

  it('labels the axes with dates and prices and names every series in the legend', async () => {
    const { svg } = await renderChartSvg(fullSpec());
    for (const name of ['BINANCE:BTCUSDT 5m', 'SMA 20', 'Volume', 'Close - SMA 20', 'mid', 'zone', 'BUY']) {
      expect(svg).toContain(name);
    }
    expect(svg).toMatch(/\d{2}-\d{2} \d{2}:\d{2}/); // date labels on the time axis
    expect(svg).toMatch(/>2\d{4}\.\d{2}</); // price labels with two decimals
  });

  it('renders the light theme on a white background', async () => {
    const spec = { ...fullSpec(), theme: 'light' as const, width: 640, height: 400 };
    const img = decodePng((await renderChartPng(spec)).png);
    expect(img.width).toBe(640);
    expect(countColor(img, '#ffffff', 0)).toBeGreaterThan(640 * 400 * 0.5);
  });

  it('rejects misaligned series naming the field', async () => {
    const spec = fullSpec();
    const bad = { ...spec, overlays: [{ name: 'short', values: [1, 2, 3] }] };
    const error = await renderChartSvg(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZodError);
    const issue = (error as ZodError).issues[0];
    expect(issue?.path).toEqual(['overlays', 0, 'values']);
    expect(issue?.message).toContain('expected 200 values');
  });
});
