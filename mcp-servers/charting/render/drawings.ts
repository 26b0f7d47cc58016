import { fibLevels, formatRr, positionMeasures, priceChange, signedPct, signedPrice } from '../measures.ts';
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

/** The bars a drawing is placed over: their times and the price band they span. */
export interface DrawingFrame {
  readonly times: readonly number[];
  /** Lowest low and highest high: a ray is cut where it leaves this band. */
  readonly low: number;
  readonly high: number;
  /** Decimal places of the price axis. */
  readonly decimals: number;
}

/**
 * The ECharts layers that draw a list of drawings on the price pane: mark lines, areas and
 * points on the candlestick series, and one custom series for the shapes marks cannot draw
 * (a channel's slanted fill, a callout's box and pointer).
 */
export interface DrawingMarks {
  readonly markLine: { symbol: string[]; data: unknown[]; animation: false };
  readonly markArea: { data: unknown[]; animation: false };
  readonly markPoint: { data: unknown[]; animation: false };
  readonly shapes: Record<string, unknown> | null;
}

/** A shape of the custom series, in data coordinates (bar index, price). */
type Shape =
  | { kind: 'polygon'; points: [number, number][]; color: string }
  | { kind: 'callout'; at: [number, number]; text: string; color: string };

type Pt = [number, number];

/** Minimal view of the custom series' renderItem API (ECharts types it loosely). */
interface RenderApi {
  coord(data: [number, number]): number[];
}
interface RenderParams {
  dataIndex: number;
  coordSys: { x: number; y: number; width: number; height: number };
}

function renderShape(shape: Shape, api: RenderApi, params: RenderParams, background: string): unknown {
  const px = (p: Pt): Pt => {
    const [x = 0, y = 0] = api.coord(p);
    return [x, y];
  };
  if (shape.kind === 'polygon') {
    return {
      type: 'polygon',
      shape: { points: shape.points.map(px) },
      style: { fill: shape.color, opacity: 0.1 },
      silent: true,
    };
  }
  // Callout: a dot on the anchor, a pointer up and to the side, a framed label at its end.
  const [ax, ay] = px(shape.at);
  const box = params.coordSys;
  const right = ax + 140 < box.x + box.width;
  const up = ay - 60 > box.y;
  const ex = ax + (right ? 26 : -26);
  const ey = ay + (up ? -34 : 34);
  return {
    type: 'group',
    silent: true,
    children: [
      {
        type: 'line',
        shape: { x1: ax, y1: ay, x2: ex, y2: ey },
        style: { stroke: shape.color, lineWidth: 1.2 },
      },
      { type: 'circle', shape: { cx: ax, cy: ay, r: 2.5 }, style: { fill: shape.color } },
      {
        type: 'text',
        x: ex,
        y: ey,
        style: {
          text: shape.text,
          fill: shape.color,
          font: '12px DejaVu Sans, Arial, sans-serif',
          align: right ? 'left' : 'right',
          verticalAlign: up ? 'bottom' : 'top',
          backgroundColor: background,
          borderColor: shape.color,
          borderWidth: 1,
          borderRadius: 3,
          padding: [3, 6],
        },
      },
    ],
  };
}

/**
 * Where a ray from `a` through `b` (bar index, price) ends: at the first or last bar in its
 * direction, or earlier where it leaves the price band [low, high] (so it never stretches the
 * price axis or runs off the pane).
 */
export function rayEnd(a: Pt, b: Pt, lastIndex: number, low: number, high: number): Pt {
  const [i1, p1] = a;
  const [i2, p2] = b;
  if (i1 === i2) return b;
  const slope = (p2 - p1) / (i2 - i1);
  const edge = i2 > i1 ? lastIndex : 0;
  const price = p1 + slope * (edge - i1);
  if (price >= low && price <= high) return [edge, price];
  const bound = price > high ? high : low;
  // Already outside the band at `b`: keep the segment as given.
  if ((bound === high && p2 >= high) || (bound === low && p2 <= low)) return b;
  return [i1 + (bound - p1) / slope, bound];
}

/** Converts drawings to ECharts marks on the candlestick series plus the custom shapes series. */
export function toDrawingMarks(
  drawings: readonly Drawing[],
  frame: DrawingFrame,
  theme: ChartTheme,
): DrawingMarks {
  const lines: unknown[] = [];
  const areas: unknown[] = [];
  const points: unknown[] = [];
  const shapes: Shape[] = [];
  const { times } = frame;
  const lastIndex = Math.max(0, times.length - 1);
  // Labels one place coarser than the axis when it shows cents of a large price (61234.5).
  const labelDecimals = frame.decimals === 2 ? 1 : frame.decimals;
  const fmt = (v: number): string => v.toFixed(labelDecimals);
  // Numbers written over candles get a plate of the background so they stay readable.
  const plate = { backgroundColor: theme.background, padding: [1, 3], borderRadius: 2 };
  // Category axes take a bar index as a number (a string would be read as a category label).
  const at = (timeUs: number): number => nearestBarIndex(times, timeUs);
  const segment = (from: Pt, to: Pt, lineStyle: object, label?: object, endSymbol = 'none'): void => {
    lines.push([
      { coord: from, lineStyle, symbol: 'none', label: label ?? { show: false } },
      { coord: to, symbol: endSymbol },
    ]);
  };
  const zone = (from: Pt, to: Pt, color: string, opacity: number, label?: object): void => {
    areas.push([
      {
        coord: from,
        itemStyle: { color, opacity, borderColor: color, borderWidth: 1 },
        label: label ?? { show: false },
      },
      { coord: to },
    ]);
  };
  for (const d of drawings) {
    const color = ('color' in d && d.color) || theme.drawing;
    const lineStyle = { color, width: 1.5, type: 'solid' as const };
    const named = (label: string | undefined, position = 'middle') =>
      label === undefined ? undefined : { show: true, color, formatter: label, position };
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
        segment([at(d.from.time), d.from.price], [at(d.to.time), d.to.price], lineStyle, named(d.label));
        break;
      case 'ray': {
        const a: Pt = [at(d.from.time), d.from.price];
        const end = rayEnd(a, [at(d.to.time), d.to.price], lastIndex, frame.low, frame.high);
        segment(a, end, lineStyle, named(d.label, 'insideStartTop'));
        break;
      }
      case 'channel': {
        const a: Pt = [at(d.from.time), d.from.price];
        const b: Pt = [at(d.to.time), d.to.price];
        const a2: Pt = [a[0], a[1] + d.offset];
        const b2: Pt = [b[0], b[1] + d.offset];
        segment(a, b, lineStyle, named(d.label));
        segment(a2, b2, lineStyle);
        // The dotted midline, halfway between the two.
        segment([a[0], a[1] + d.offset / 2], [b[0], b[1] + d.offset / 2], {
          ...lineStyle,
          width: 1,
          type: 'dotted',
        });
        shapes.push({ kind: 'polygon', points: [a, b, b2, a2], color });
        break;
      }
      case 'fib': {
        const i1 = at(d.from.time);
        const i2 = at(d.to.time);
        // Both anchors on one bar: the levels run to the last bar so they stay readable.
        const [left, right] = i1 === i2 ? [i1, lastIndex] : [Math.min(i1, i2), Math.max(i1, i2)];
        segment([i1, d.from.price], [i2, d.to.price], { ...lineStyle, width: 1, type: 'dotted' });
        for (const { level, price } of fibLevels(d.from.price, d.to.price, d.levels)) {
          segment(
            [left, price],
            [right, price],
            { ...lineStyle, width: 1 },
            {
              show: true,
              color,
              position: 'insideStartTop',
              fontSize: 10,
              formatter: `${level} (${fmt(price)})`,
            },
          );
        }
        if (d.label !== undefined) {
          points.push({
            coord: [left, Math.max(d.from.price, d.to.price)],
            symbol: 'none',
            label: { show: true, position: 'top', color, formatter: d.label, fontSize: 11 },
          });
        }
        break;
      }
      case 'position': {
        const start = at(d.entry.time);
        const end = d.until === undefined ? lastIndex : at(d.until);
        const entry = d.entry.price;
        const { ratio: rr } = positionMeasures(d.side, d.entry.price, d.stop, d.target);
        const long = d.side === 'long';
        const label = (text: string, top: boolean) => ({
          ...plate,
          show: true,
          color: theme.text,
          fontSize: 11,
          position: top ? 'insideTopLeft' : 'insideBottomLeft',
          formatter: text,
        });
        zone(
          [start, entry],
          [end, d.target],
          theme.up,
          0.22,
          label(`target ${fmt(d.target)} (${signedPct(priceChange(entry, d.target).pct)})`, d.target > entry),
        );
        zone(
          [start, entry],
          [end, d.stop],
          theme.down,
          0.22,
          label(`stop ${fmt(d.stop)} (${signedPct(priceChange(entry, d.stop).pct)})`, d.stop > entry),
        );
        segment(
          [start, entry],
          [end, entry],
          { color: d.color ?? theme.text, width: 1.5, type: 'solid' },
          {
            show: true,
            color: d.color ?? theme.text,
            fontSize: 11,
            position: 'insideEndTop',
            formatter: `${d.label ?? (long ? 'LONG' : 'SHORT')} ${fmt(entry)}  R:R ${formatRr(rr)}`,
          },
        );
        break;
      }
      case 'range': {
        const i1 = at(d.from.time);
        const i2 = at(d.to.time);
        const { change, pct } = priceChange(d.from.price, d.to.price);
        const tone = d.color ?? (change >= 0 ? theme.up : theme.down);
        zone([i1, d.from.price], [i2, d.to.price], tone, 0.12);
        const text = `${signedPct(pct)} (${signedPrice(change, labelDecimals)})`;
        segment(
          [(i1 + i2) / 2, d.from.price],
          [(i1 + i2) / 2, d.to.price],
          { color: tone, width: 1.5, type: 'solid' },
          {
            ...plate,
            show: true,
            color: tone,
            fontSize: 11,
            position: 'end',
            formatter: d.label === undefined ? text : `${d.label} ${text}`,
          },
          'arrow',
        );
        break;
      }
      case 'rect':
        zone([at(d.from.time), d.from.price], [at(d.to.time), d.to.price], color, 0.15, {
          show: d.label !== undefined,
          color,
          formatter: d.label ?? '',
          position: 'insideTopLeft',
        });
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
      case 'callout':
        shapes.push({ kind: 'callout', at: [at(d.at.time), d.at.price], text: d.text, color });
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
      default: {
        const unknown: never = d;
        throw new Error(`no renderer for drawing ${JSON.stringify(unknown)}`);
      }
    }
  }
  return {
    markLine: { symbol: ['none', 'none'], data: lines, animation: false },
    markArea: { data: areas, animation: false },
    markPoint: { data: points, animation: false },
    shapes:
      shapes.length === 0
        ? null
        : {
            type: 'custom',
            name: 'drawings',
            xAxisIndex: 0,
            yAxisIndex: 0,
            clip: true,
            silent: true,
            animation: false,
            // The anchor of each shape (not its far points), so shapes do not widen the price axis.
            data: shapes.map((s) => (s.kind === 'callout' ? s.at : (s.points[0] as Pt))),
            encode: { x: 0, y: 1 },
            renderItem: (params: RenderParams, api: RenderApi) =>
              renderShape(shapes[params.dataIndex] as Shape, api, params, theme.background),
          },
  };
}
