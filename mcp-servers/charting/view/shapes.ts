/**
 * Every catalogue drawing as a few flat shapes in pane pixels (lines, boxes, polygons, text):
 * one function per kind in a table, pure, so the canvas painter stays trivial and hit tests
 * and tests work on the same geometry the user sees.
 */
import type { Anchor, Drawing, DrawingType } from '../catalogue.ts';
import { fibLevels, positionMeasures, priceChange } from '../measures.ts';

export type Shape =
  | {
      readonly k: 'line';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly color: string;
      readonly width: number;
      readonly dash: boolean;
    }
  | {
      readonly k: 'box';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly fill: string;
      readonly stroke: string | null;
    }
  | { readonly k: 'poly'; readonly points: readonly (readonly [number, number])[]; readonly fill: string }
  | {
      readonly k: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly color: string;
      readonly align: 'left' | 'center' | 'right';
      /** Where `y` is: the text's top, middle or bottom. */
      readonly baseline: 'top' | 'middle' | 'bottom';
      /** Box behind the text (callouts), or null. */
      readonly background: string | null;
    };

/** What the shapes of a drawing are placed with. */
export interface Frame {
  /** x of a time (epoch µs), or null when the chart has no bars. */
  readonly x: (timeUs: number) => number | null;
  /** y of a price, or null when the price scale is not ready. */
  readonly y: (price: number) => number | null;
  /** Pane size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Open time of the last bar (µs), for positions without `until`. */
  readonly lastTimeUs: number | null;
  /** Colours: drawings without their own colour, a long/buy and a short/sell. */
  readonly color: string;
  readonly up: string;
  readonly down: string;
  readonly formatPrice: (price: number) => string;
}

/** Font of drawing labels; the text width estimate below assumes it. */
export const LABEL_FONT = '12px -apple-system, "Segoe UI", Roboto, Ubuntu, sans-serif';
export const LABEL_HEIGHT = 14;
/** Width of `text` in LABEL_FONT, estimated (hit tests and the × button; painting measures). */
export const textWidth = (text: string): number => text.length * 6.5;

/** `color` (#rgb or #rrggbb; a name stays as is) with `alpha` for fills. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const hex = m[1] as string;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

const line = (
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: string,
  dash = false,
  width = 1.5,
): Shape => ({
  k: 'line',
  x1,
  y1,
  x2,
  y2,
  color,
  width,
  dash,
});
const text = (
  x: number,
  y: number,
  s: string,
  color: string,
  align: 'left' | 'center' | 'right' = 'left',
  baseline: 'top' | 'middle' | 'bottom' = 'bottom',
  background: string | null = null,
): Shape => ({ k: 'text', x, y, text: s, color, align, baseline, background });
const box = (x1: number, y1: number, x2: number, y2: number, fill: string, stroke: string | null): Shape => ({
  k: 'box',
  x1: Math.min(x1, x2),
  y1: Math.min(y1, y2),
  x2: Math.max(x1, x2),
  y2: Math.max(y1, y2),
  fill,
  stroke,
});

type Point = readonly [number, number];
const at = (f: Frame, a: { time: number; price: number }): Point | null => {
  const x = f.x(a.time);
  const y = f.y(a.price);
  return x === null || y === null ? null : [x, y];
};

/** The point where the ray from `a` through `b` leaves the pane (b itself when it points nowhere). */
export function rayEnd(a: Point, b: Point, width: number, height: number): Point {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  if (dx === 0 && dy === 0) return b;
  const ts = [
    dx > 0 ? (width - a[0]) / dx : dx < 0 ? -a[0] / dx : Number.POSITIVE_INFINITY,
    dy > 0 ? (height - a[1]) / dy : dy < 0 ? -a[1] / dy : Number.POSITIVE_INFINITY,
  ];
  const t = Math.max(1, Math.min(...ts));
  return [a[0] + dx * t, a[1] + dy * t];
}

type Kind<T extends DrawingType> = (d: Extract<Drawing, { type: T }>, f: Frame, color: string) => Shape[];
type Table = { readonly [T in DrawingType]: Kind<T> };

const twoPoints = (f: Frame, from: Anchor, to: Anchor, draw: (a: Point, b: Point) => Shape[]): Shape[] => {
  const a = at(f, from);
  const b = at(f, to);
  return a && b ? draw(a, b) : [];
};

const pct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`;

/** One function per catalogue kind: its shapes in the frame. */
const KINDS: Table = {
  hline: (d, f, c) => {
    const y = f.y(d.price);
    if (y === null) return [];
    return [
      line(0, y, f.width, y, c, true),
      text(f.width - 4, y - 2, d.label ?? f.formatPrice(d.price), c, 'right'),
    ];
  },
  vline: (d, f, c) => {
    const x = f.x(d.time);
    if (x === null) return [];
    const shapes = [line(x, 0, x, f.height, c, true)];
    if (d.label) shapes.push(text(x + 4, 4, d.label, c, 'left', 'top'));
    return shapes;
  },
  trendline: (d, f, c) =>
    twoPoints(f, d.from, d.to, (a, b) => {
      const shapes = [line(a[0], a[1], b[0], b[1], c)];
      if (d.label) shapes.push(text((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 - 4, d.label, c, 'center'));
      return shapes;
    }),
  ray: (d, f, c) =>
    twoPoints(f, d.from, d.to, (a, b) => {
      const end = rayEnd(a, b, f.width, f.height);
      const shapes = [line(a[0], a[1], end[0], end[1], c)];
      if (d.label) shapes.push(text(a[0], a[1] - 4, d.label, c));
      return shapes;
    }),
  rect: (d, f, c) =>
    twoPoints(f, d.from, d.to, (a, b) => {
      const shapes = [box(a[0], a[1], b[0], b[1], withAlpha(c, 0.15), c)];
      if (d.label)
        shapes.push(text(Math.min(a[0], b[0]) + 4, Math.min(a[1], b[1]) + 3, d.label, c, 'left', 'top'));
      return shapes;
    }),
  channel: (d, f, c) => {
    const a = at(f, d.from);
    const b = at(f, d.to);
    const a2 = at(f, { time: d.from.time, price: d.from.price + d.offset });
    const b2 = at(f, { time: d.to.time, price: d.to.price + d.offset });
    if (!a || !b || !a2 || !b2) return [];
    const shapes: Shape[] = [
      { k: 'poly', points: [a, b, b2, a2], fill: withAlpha(c, 0.12) },
      line(a[0], a[1], b[0], b[1], c),
      line(a2[0], a2[1], b2[0], b2[1], c),
      line((a[0] + a2[0]) / 2, (a[1] + a2[1]) / 2, (b[0] + b2[0]) / 2, (b[1] + b2[1]) / 2, c, true, 1),
    ];
    if (d.label) shapes.push(text(a[0], Math.min(a[1], a2[1]) - 4, d.label, c));
    return shapes;
  },
  fib: (d, f, c) =>
    twoPoints(f, d.from, d.to, (a, b) => {
      const x1 = Math.min(a[0], b[0]);
      const x2 = Math.max(a[0], b[0]);
      const shapes: Shape[] = [line(a[0], a[1], b[0], b[1], c, true, 1)];
      for (const { level, price } of fibLevels(d.from.price, d.to.price, d.levels)) {
        const y = f.y(price);
        if (y === null) continue;
        shapes.push(line(x1, y, x2, y, c, false, 1));
        shapes.push(text(x1 + 2, y - 3, `${level} (${f.formatPrice(price)})`, c));
      }
      if (d.label) shapes.push(text(x2, Math.min(a[1], b[1]) - 16, d.label, c, 'right'));
      return shapes;
    }),
  position: (d, f) => {
    const until = d.until ?? f.lastTimeUs;
    const x1 = f.x(d.entry.time);
    const x2 = until === null ? null : f.x(until);
    const ye = f.y(d.entry.price);
    const ys = f.y(d.stop);
    const yt = f.y(d.target);
    if (x1 === null || x2 === null || ye === null || ys === null || yt === null) return [];
    const right = Math.max(x2, x1 + 40);
    const m = positionMeasures(d.side, d.entry.price, d.stop, d.target);
    const ratio = Number.isFinite(m.ratio) ? m.ratio.toFixed(2) : 'n/a';
    const tx = x1 + 4;
    const above = (y1: number, y2: number) => Math.min(y1, y2) - 2;
    const below = (y1: number, y2: number) => Math.max(y1, y2) + 2;
    const targetAbove = yt < ye;
    return [
      box(x1, ye, right, yt, withAlpha(f.up, 0.2), null),
      box(x1, ye, right, ys, withAlpha(f.down, 0.2), null),
      line(x1, ye, right, ye, d.color ?? f.color, false, 1),
      text(
        tx,
        targetAbove ? above(ye, yt) : below(ye, yt),
        `Target ${f.formatPrice(d.target)} (${pct(m.rewardPct)})`,
        f.up,
        'left',
        targetAbove ? 'bottom' : 'top',
      ),
      text(
        tx,
        targetAbove ? below(ye, ys) : above(ye, ys),
        `Stop ${f.formatPrice(d.stop)} (${pct(-m.riskPct)})`,
        f.down,
        'left',
        targetAbove ? 'top' : 'bottom',
      ),
      text(right - 4, ye - 2, `${d.label ?? d.side.toUpperCase()} R:R ${ratio}`, d.color ?? f.color, 'right'),
    ];
  },
  range: (d, f, c) =>
    twoPoints(f, d.from, d.to, (a, b) => {
      const { change, pct: p } = priceChange(d.from.price, d.to.price);
      const mid = (a[0] + b[0]) / 2;
      const up = b[1] < a[1];
      const label = `${change >= 0 ? '+' : ''}${f.formatPrice(change)} (${pct(p)})`;
      return [
        box(a[0], a[1], b[0], b[1], withAlpha(c, 0.12), null),
        line(mid, a[1], mid, b[1], c),
        line(mid - 4, b[1] + (up ? 6 : -6), mid, b[1], c),
        line(mid + 4, b[1] + (up ? 6 : -6), mid, b[1], c),
        text(
          mid,
          up ? b[1] - 3 : b[1] + 3,
          d.label ? `${d.label} ${label}` : label,
          c,
          'center',
          up ? 'bottom' : 'top',
        ),
      ];
    }),
  text: (d, f, c) => {
    const p = at(f, d);
    return p ? [text(p[0], p[1], d.text, c, 'center', 'middle')] : [];
  },
  callout: (d, f, c) => {
    const p = at(f, d.at);
    if (!p) return [];
    const bx = p[0] + 24;
    const by = p[1] - 34;
    return [
      line(p[0], p[1], bx, by, c, false, 1),
      {
        k: 'poly',
        points: [
          [p[0] - 3, p[1]],
          [p[0], p[1] - 3],
          [p[0] + 3, p[1]],
          [p[0], p[1] + 3],
        ],
        fill: c,
      },
      text(bx, by, d.text, '#ffffff', 'left', 'middle', c),
    ];
  },
  marker: (d, f) => {
    const p = at(f, d);
    if (!p) return [];
    const buy = d.side === 'buy';
    const c = buy ? f.up : f.down;
    const s = buy ? 1 : -1;
    const tip = p[1] + s * 4;
    const base = tip + s * 10;
    return [
      {
        k: 'poly',
        points: [
          [p[0], tip],
          [p[0] - 6, base],
          [p[0] + 6, base],
        ],
        fill: c,
      },
      text(p[0], base + s * 2, d.text ?? (buy ? 'BUY' : 'SELL'), c, 'center', buy ? 'top' : 'bottom'),
    ];
  },
};

/** The shapes of `d` in frame `f` (empty when its points cannot be placed yet). */
export function drawingShapes(d: Drawing, f: Frame): Shape[] {
  const color = ('color' in d && d.color) || f.color;
  return (KINDS[d.type] as Kind<DrawingType>)(d as never, f, color);
}
