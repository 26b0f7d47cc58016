import { toDrawingMarks } from './drawings.ts';
import { formatBarTime, formatVolume, priceDecimals } from './format.ts';
import type { ChartSpec, LineSeries } from './spec.ts';
import { type ChartTheme, THEMES } from './theme.ts';

const TOP = 48;
const BOTTOM = 28;
const LEFT = 12;
const RIGHT = 72;
const GAP = 10;

interface PaneBox {
  readonly top: number;
  readonly height: number;
}

/** Splits the plot height into the price pane, the volume pane and the oscillator panes. */
function layout(spec: ChartSpec): { price: PaneBox; volume: PaneBox | null; panes: PaneBox[] } {
  const usable = spec.height - TOP - BOTTOM;
  const paneShare = spec.panes.length > 0 ? Math.min(0.22, 0.55 / spec.panes.length) : 0;
  const volumeShare = spec.showVolume ? 0.14 : 0;
  const gaps = GAP * (spec.panes.length + (spec.showVolume ? 1 : 0));
  const priceHeight = Math.floor((usable - gaps) * (1 - volumeShare - paneShare * spec.panes.length));
  let top = TOP;
  const price = { top, height: priceHeight };
  top += priceHeight + GAP;
  let volume: PaneBox | null = null;
  if (spec.showVolume) {
    const h = Math.floor((usable - gaps) * volumeShare);
    volume = { top, height: h };
    top += h + GAP;
  }
  const panes = spec.panes.map(() => {
    const h = Math.floor((usable - gaps) * paneShare);
    const box = { top, height: h };
    top += h + GAP;
    return box;
  });
  return { price, volume, panes };
}

/** Lowest or highest finite value (a loop: a spread of thousands of bars can overflow the stack). */
function extreme(values: readonly number[], pick: (a: number, b: number) => number): number {
  let out = Number.NaN;
  for (const v of values) if (Number.isFinite(v)) out = Number.isNaN(out) ? v : pick(out, v);
  return out;
}

const toData = (values: readonly number[]): (number | null)[] =>
  values.map((v) => (Number.isFinite(v) ? v : null));

function lineSeries(s: LineSeries, axis: number, color: string, theme: ChartTheme): Record<string, unknown> {
  if (s.kind === 'histogram') {
    return {
      type: 'bar',
      name: s.name,
      xAxisIndex: axis,
      yAxisIndex: axis,
      data: s.values.map((v) =>
        Number.isFinite(v)
          ? { value: v, itemStyle: { color: v >= 0 ? theme.volumeUp : theme.volumeDown } }
          : null,
      ),
      itemStyle: { color },
      barWidth: '60%',
      animation: false,
    };
  }
  return {
    type: 'line',
    name: s.name,
    xAxisIndex: axis,
    yAxisIndex: axis,
    data: toData(s.values),
    showSymbol: false,
    connectNulls: false,
    lineStyle: { width: 1.4, color },
    itemStyle: { color },
    animation: false,
  };
}

/**
 * Builds the ECharts option for a chart spec: candles (+ volume), overlays on the price pane,
 * oscillators in sub-panes, drawings as mark lines/areas/points, a legend naming each series,
 * and a time axis with UTC dates.
 */
export function toEChartsOption(spec: ChartSpec): Record<string, unknown> {
  const theme = THEMES[spec.theme];
  const { bars } = spec;
  const n = bars.time.length;
  const spanUs = (bars.time[n - 1] ?? 0) - (bars.time[0] ?? 0);
  const labels = bars.time.map((t) => formatBarTime(t, spanUs));
  const box = layout(spec);
  const boxes = [box.price, ...(box.volume ? [box.volume] : []), ...box.panes];
  const decimals = priceDecimals(bars.close);
  const lastAxis = boxes.length - 1;

  const grid = boxes.map((b) => ({ left: LEFT, right: RIGHT, top: b.top, height: b.height }));
  const xAxis = boxes.map((_, i) => ({
    type: 'category',
    gridIndex: i,
    data: labels,
    boundaryGap: true,
    axisLine: { lineStyle: { color: theme.grid } },
    axisTick: { show: i === lastAxis },
    axisLabel: { show: i === lastAxis, color: theme.axis, fontSize: 11, hideOverlap: true },
    splitLine: { show: false },
  }));
  const yAxis = boxes.map((_, i) => ({
    type: 'value',
    gridIndex: i,
    scale: true,
    position: 'right',
    splitNumber: i === 0 ? 6 : 2,
    axisLine: { show: false },
    axisLabel: {
      color: theme.axis,
      fontSize: 11,
      formatter:
        i === 0
          ? (v: number) => v.toFixed(decimals)
          : box.volume && i === 1
            ? (v: number) => formatVolume(v)
            : (v: number) => String(Number(v.toPrecision(4))),
    },
    splitLine: { lineStyle: { color: theme.grid } },
  }));

  const priceName = spec.title || 'Price';
  const { shapes, ...marks } = toDrawingMarks(
    spec.drawings,
    { times: bars.time, low: extreme(bars.low, Math.min), high: extreme(bars.high, Math.max), decimals },
    theme,
  );
  const series: Record<string, unknown>[] = [
    {
      type: 'candlestick',
      name: priceName,
      xAxisIndex: 0,
      yAxisIndex: 0,
      data: bars.open.map((o, i) => [o, bars.close[i], bars.low[i], bars.high[i]]),
      itemStyle: { color: theme.up, color0: theme.down, borderColor: theme.up, borderColor0: theme.down },
      animation: false,
      ...marks,
    },
  ];
  if (shapes !== null) series.push(shapes);
  const legend: string[] = [priceName];
  let colorIndex = 0;
  const nextColor = (c: string | undefined): string =>
    c ?? theme.palette[colorIndex++ % theme.palette.length] ?? theme.text;
  for (const o of spec.overlays) {
    series.push(lineSeries(o, 0, nextColor(o.color), theme));
    legend.push(o.name);
  }
  if (box.volume) {
    series.push({
      type: 'bar',
      name: 'Volume',
      xAxisIndex: 1,
      yAxisIndex: 1,
      data: bars.volume.map((v, i) => ({
        value: v,
        itemStyle: { color: (bars.close[i] ?? 0) >= (bars.open[i] ?? 0) ? theme.volumeUp : theme.volumeDown },
      })),
      barWidth: '70%',
      animation: false,
    });
    legend.push('Volume');
  }
  const firstPaneAxis = box.volume ? 2 : 1;
  spec.panes.forEach((pane, p) => {
    pane.series.forEach((s, j) => {
      const entry = lineSeries(s, firstPaneAxis + p, nextColor(s.color), theme);
      if (j === 0 && pane.levels.length > 0) {
        entry.markLine = {
          symbol: ['none', 'none'],
          silent: true,
          animation: false,
          lineStyle: { color: theme.axis, type: 'dotted' },
          label: { show: true, position: 'insideEndTop', color: theme.axis, fontSize: 10 },
          data: pane.levels.map((level) => ({ yAxis: level })),
        };
      }
      series.push(entry);
      legend.push(s.name);
    });
  });

  return {
    animation: false,
    backgroundColor: theme.background,
    textStyle: { fontFamily: 'DejaVu Sans, Arial, sans-serif', color: theme.text },
    title: {
      text: spec.title,
      left: LEFT,
      top: 6,
      textStyle: { color: theme.text, fontSize: 14, fontWeight: 'bold' },
    },
    legend: {
      data: legend,
      top: 26,
      left: LEFT,
      textStyle: { color: theme.text, fontSize: 11 },
      itemHeight: 8,
    },
    grid,
    xAxis,
    yAxis,
    series,
  };
}
