import type { Drawing } from './spec.ts';
import type { ChartTheme } from './theme.ts';

/** Index of the bar whose time is nearest to `timeUs` (times ascending). */
export function nearestBarIndex(times: readonly number[], timeUs: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] ?? 0) < timeUs) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((times[lo - 1] ?? 0) - timeUs) <= Math.abs((times[lo] ?? 0) - timeUs)) return lo - 1;
  return lo;
}

/** The ECharts mark layers (lines, areas, points) that draw a list of drawings on the price pane. */
export interface DrawingMarks {
  readonly markLine: { symbol: string[]; data: unknown[]; animation: false };
  readonly markArea: { data: unknown[]; animation: false };
  readonly markPoint: { data: unknown[]; animation: false };
}

/** Converts drawings to ECharts mark data on the candlestick series. */
export function toDrawingMarks(
  drawings: readonly Drawing[],
  times: readonly number[],
  theme: ChartTheme,
): DrawingMarks {
  const lines: unknown[] = [];
  const areas: unknown[] = [];
  const points: unknown[] = [];
  // Category axes take a bar index as a number (a string would be read as a category label).
  const at = (timeUs: number): number => nearestBarIndex(times, timeUs);
  for (const d of drawings) {
    const color = ('color' in d && d.color) || theme.drawing;
    const lineStyle = { color, width: 1.5, type: 'solid' as const };
    switch (d.type) {
      case 'hline':
        lines.push({
          yAxis: d.price,
          lineStyle: { ...lineStyle, type: 'dashed' },
          label: { show: true, position: 'insideEndTop', color, formatter: d.label ?? String(d.price) },
        });
        break;
      case 'vline':
        lines.push({
          xAxis: at(d.time),
          lineStyle: { ...lineStyle, type: 'dashed' },
          label: { show: d.label !== undefined, color, formatter: d.label ?? '' },
        });
        break;
      case 'trendline':
        lines.push([
          {
            coord: [at(d.from.time), d.from.price],
            lineStyle,
            label: { show: d.label !== undefined, color, formatter: d.label ?? '' },
          },
          { coord: [at(d.to.time), d.to.price] },
        ]);
        break;
      case 'rect':
        areas.push([
          {
            coord: [at(d.from.time), d.from.price],
            itemStyle: { color, opacity: 0.15, borderColor: color, borderWidth: 1 },
            label: {
              show: d.label !== undefined,
              color,
              formatter: d.label ?? '',
              position: 'insideTopLeft',
            },
          },
          { coord: [at(d.to.time), d.to.price] },
        ]);
        break;
      case 'text':
        points.push({
          coord: [at(d.time), d.price],
          symbol: 'circle',
          symbolSize: 4,
          itemStyle: { color },
          label: { show: true, position: 'top', color, formatter: d.text, fontSize: 12 },
        });
        break;
      case 'marker': {
        const buy = d.side === 'buy';
        const markColor = buy ? theme.up : theme.down;
        points.push({
          coord: [at(d.time), d.price],
          symbol: 'triangle',
          symbolSize: 12,
          symbolRotate: buy ? 0 : 180,
          symbolOffset: [0, buy ? 12 : -12],
          itemStyle: { color: markColor },
          label: {
            show: true,
            position: buy ? 'bottom' : 'top',
            color: markColor,
            formatter: d.text ?? (buy ? 'BUY' : 'SELL'),
            fontSize: 11,
          },
        });
        break;
      }
    }
  }
  return {
    markLine: { symbol: ['none', 'none'], data: lines, animation: false },
    markArea: { data: areas, animation: false },
    markPoint: { data: points, animation: false },
  };
}
