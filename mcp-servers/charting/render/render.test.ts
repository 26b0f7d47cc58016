import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { DRAWING_TYPES, type Drawing } from '../catalogue.ts';
import { type ChartSpecInput, chartSpecSchema, renderChartPng, renderChartSvg } from './index.ts';
import { toEChartsOption } from './options.ts';
import { allDrawingsSpec, drawingsOfEveryKind, loadBars } from './testing/all-drawings.ts';
import { countColor, decodePng } from './testing/png-decode.ts';

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

/** The price series' marks and the custom shapes series for `drawings` over `bars`. */
function marksOf(drawings: Drawing[], bars = loadBars(100)) {
  const option = toEChartsOption(chartSpecSchema.parse({ bars, drawings, showVolume: false }));
  const series = option.series as Record<string, unknown>[];
  const price = series[0] as {
    markLine: { data: unknown[] };
    markArea: { data: unknown[] };
    markPoint: { data: unknown[] };
  };
  return {
    lines: price.markLine.data as {
      coord: [number, number];
      symbol?: string;
      label?: { formatter?: string };
    }[][],
    areas: price.markArea.data as {
      coord: [number, number];
      itemStyle?: { color: string };
      label?: { formatter?: string };
    }[][],
    points: price.markPoint.data,
    shapes: series.find((s) => s.type === 'custom') as { data: unknown[] } | undefined,
  };
}

describe('drawings on the PNG chart', () => {
  const bars = loadBars(100);
  const T = (i: number) => bars.time[i] ?? 0;
  const top = Math.max(...bars.high);
  const bottom = Math.min(...bars.low);

  it('extends a ray through its second point to the last bar', () => {
    const flat = 0.5 * (top + bottom);
    const { lines } = marksOf([
      { type: 'ray', from: { time: T(10), price: flat }, to: { time: T(20), price: flat } },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.map((p) => p.coord)).toEqual([
      [10, flat],
      [99, flat],
    ]);
  });

  it('cuts a steep ray where it leaves the bars price band instead of stretching the axis', () => {
    const { lines } = marksOf([
      {
        type: 'ray',
        from: { time: T(0), price: bottom },
        to: { time: T(10), price: bottom + (top - bottom) / 2 },
      },
    ]);
    const [, end] = lines[0] ?? [];
    expect(end?.coord[1]).toBeCloseTo(top, 6);
    expect(end?.coord[0]).toBeCloseTo(20, 6); // half the band in 10 bars: the top at bar 20
  });

  it('draws a channel as two parallel lines, a midline and a faint fill between them', () => {
    const { lines, shapes } = marksOf([
      { type: 'channel', from: { time: T(5), price: 100 }, to: { time: T(50), price: 150 }, offset: 20 },
    ]);
    expect(lines.map((l) => l.map((p) => p.coord))).toEqual([
      [
        [5, 100],
        [50, 150],
      ],
      [
        [5, 120],
        [50, 170],
      ],
      [
        [5, 110],
        [50, 160],
      ],
    ]);
    expect(shapes?.data).toEqual([[5, 100]]);
  });

  it('draws Fibonacci levels between the anchors times, labelled with level and price', () => {
    const { lines } = marksOf([
      {
        type: 'fib',
        from: { time: T(10), price: 20_000 },
        to: { time: T(40), price: 21_000 },
        levels: [0, 0.618, 1],
      },
    ]);
    const levels = lines.slice(1); // the first is the dotted swing line
    expect(levels.map((l) => l.map((p) => p.coord))).toEqual([
      [
        [10, 21_000],
        [40, 21_000],
      ],
      [
        [10, 20_382],
        [40, 20_382],
      ],
      [
        [10, 20_000],
        [40, 20_000],
      ],
    ]);
    expect(levels.map((l) => l[0]?.label?.formatter)).toEqual([
      '0 (21000.0)',
      '0.618 (20382.0)',
      '1 (20000.0)',
    ]);
  });

  it('draws a position as a green target zone, a red stop zone and an entry line with R:R', () => {
    const { lines, areas } = marksOf([
      {
        type: 'position',
        side: 'short',
        entry: { time: T(60), price: 20_000 },
        stop: 20_100,
        target: 19_750,
      },
    ]);
    expect(areas.map((a) => [a[0]?.coord, a[1]?.coord, a[0]?.itemStyle?.color])).toEqual([
      [[60, 20_000], [99, 19_750], '#26a69a'],
      [[60, 20_000], [99, 20_100], '#ef5350'],
    ]);
    expect(areas.map((a) => a[0]?.label?.formatter)).toEqual([
      'target 19750.0 (-1.25%)',
      'stop 20100.0 (+0.50%)',
    ]);
    expect(lines[0]?.[0]?.label?.formatter).toBe('SHORT 20000.0  R:R 2.50');
  });

  it('draws a price range as a span with an arrow labelled with the change and its %', () => {
    const { lines, areas } = marksOf([
      { type: 'range', from: { time: T(20), price: 60_000 }, to: { time: T(30), price: 60_750 } },
    ]);
    expect(areas[0]?.map((p) => p.coord)).toEqual([
      [20, 60_000],
      [30, 60_750],
    ]);
    expect(lines[0]?.map((p) => p.coord)).toEqual([
      [25, 60_000],
      [25, 60_750],
    ]);
    expect(lines[0]?.[1]?.symbol).toBe('arrow');
    expect(lines[0]?.[0]?.label?.formatter).toBe('+1.25% (+750.0)');
  });

  it('draws a callout as a shape at its anchor', () => {
    const { shapes, points } = marksOf([
      { type: 'callout', at: { time: T(70), price: 61_000 }, text: 'wick' },
    ]);
    expect(points).toEqual([]);
    expect(shapes?.data).toEqual([[70, 61_000]]);
  });

  it('renders all twelve kinds into one PNG with their labels', async () => {
    const spec = allDrawingsSpec();
    expect((spec.drawings ?? []).map((d) => d.type).sort()).toEqual([...DRAWING_TYPES].sort());
    const { svg } = await renderChartSvg(spec);
    for (const text of [
      'resistance',
      'session',
      'trend',
      'zone',
      'channel',
      '0.618 (',
      'R:R',
      'target',
      'stop',
      'swing high',
      'note',
      'buy',
    ]) {
      expect(svg, text).toContain(text);
    }
    expect(svg).toMatch(/[+-]\d+\.\d\d% \([+-]\d+\.\d\)/); // the range's label
    const img = decodePng((await renderChartPng(spec)).png);
    expect([img.width, img.height]).toEqual([1200, 700]);
    // The callout box: its white frame and text.
    expect(countColor(img, '#ffffff', 30)).toBeGreaterThan(100);
    // The channel's purple lines.
    expect(countColor(img, '#7c4dff', 40)).toBeGreaterThan(200);
  });

  it('places every kind with a real swing (fixture sanity)', () => {
    expect(Object.keys(drawingsOfEveryKind(loadBars(150, 600)))).toEqual(DRAWING_TYPES);
  });
});
