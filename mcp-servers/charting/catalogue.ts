/**
 * The drawing catalogue: every kind of drawing a workspace can hold, one schema shared by the
 * MCP `add_drawing` tool, the gateway's API, the PNG renderer and the web chart (browser-safe:
 * zod only). Points are anchored to bar times (epoch microseconds); an anchor may ask for its
 * price to be snapped to the bar's open, high, low or close ({@link snapDrawing}).
 */
import * as z from 'zod';

/** Epoch microseconds, the platform's time unit. */
const timeUs = z.number().int().nonnegative().describe('time, epoch microseconds (UTC)');
const price = z.number().finite().describe('price');
const label = z.string().max(60).describe('short label shown on the chart');
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{3,8}$|^[a-z]+$/, 'expected a CSS colour like #26a69a or "orange"')
  .describe('CSS colour, e.g. #26a69a');

/** Bar field an anchor's price snaps to. */
export const SNAP_FIELDS = ['open', 'high', 'low', 'close'] as const;
export type SnapField = (typeof SNAP_FIELDS)[number];

/**
 * A point on the price pane: a bar time and a price. With `snap`, the time moves to the open
 * time of the bar that holds it and the price becomes that bar's open/high/low/close.
 */
export const anchorSchema = z.object({
  time: timeUs,
  price,
  snap: z
    .enum(SNAP_FIELDS)
    .optional()
    .describe('snap to the bar at `time`: its open time, and this field as the price (replacing `price`)'),
});

const style = { label: label.optional(), color: color.optional() };
const twoPoints = { from: anchorSchema, to: anchorSchema, ...style };

/** Fibonacci retracement levels drawn when none are given. */
export const DEFAULT_FIB_LEVELS = [0, 0.236, 0.382, 0.5, 0.618, 0.786, 1] as const;

/** One member per drawing kind, each described for the model in {@link DRAWING_KINDS}. */
export const drawingSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hline'), price, ...style }),
  z.object({ type: z.literal('vline'), time: timeUs, ...style }),
  z.object({ type: z.literal('trendline'), ...twoPoints }),
  z.object({ type: z.literal('ray'), ...twoPoints }),
  z.object({ type: z.literal('rect'), ...twoPoints }),
  z.object({
    type: z.literal('channel'),
    ...twoPoints,
    offset: z
      .number()
      .finite()
      .refine((v) => v !== 0, 'offset must not be 0 (the two lines would coincide)')
      .describe('price distance of the parallel line from the base line (negative: below)'),
  }),
  z.object({
    type: z.literal('fib'),
    ...twoPoints,
    levels: z.array(z.number().min(-1).max(5)).min(1).max(12).optional(),
  }),
  z.object({
    type: z.literal('position'),
    side: z.enum(['long', 'short']),
    entry: anchorSchema,
    stop: price.describe('stop-loss price'),
    target: price.describe('take-profit price'),
    until: timeUs.optional().describe('where the box ends (default: the last bar)'),
    ...style,
  }),
  z.object({ type: z.literal('range'), ...twoPoints }),
  z.object({
    type: z.literal('text'),
    time: timeUs,
    price,
    text: z.string().min(1).max(120),
    color: color.optional(),
  }),
  z.object({
    type: z.literal('callout'),
    at: anchorSchema,
    text: z.string().min(1).max(120),
    color: color.optional(),
  }),
  z.object({
    type: z.literal('marker'),
    side: z.enum(['buy', 'sell']),
    time: timeUs,
    price,
    text: z.string().max(40).optional(),
  }),
]);

export type Drawing = z.output<typeof drawingSchema>;
export type DrawingType = Drawing['type'];
export type Anchor = z.output<typeof anchorSchema>;

/** What each kind is and the fields it takes, one line each (tool descriptions, docs, the page's menu). */
export const DRAWING_KINDS: Readonly<Record<DrawingType, string>> = {
  hline: 'horizontal level {price}',
  vline: 'vertical line {time}',
  trendline: 'trend line between two anchors {from, to}',
  ray: 'ray from an anchor through another, extended to the right {from, to}',
  rect: 'rectangle / zone between two corners {from, to}',
  channel: 'parallel channel: a base line {from, to} and its parallel {offset} in price',
  fib: 'Fibonacci retracement from a swing {from} to {to} (levels default 0…1)',
  position: 'long/short position {side, entry, stop, target, until?} with risk/reward',
  range: 'price range between two anchors {from, to}: the change and its %',
  text: 'text at a point {time, price, text}',
  callout: 'callout box pointing at an anchor {at, text}',
  marker: 'buy/sell marker {side, time, price, text?}',
};

/** Every kind, in catalogue order. */
export const DRAWING_TYPES = Object.keys(DRAWING_KINDS) as DrawingType[];

/** The fields of drawing `D` that hold an anchor. */
type AnchorField<D> = { [K in keyof D]-?: D[K] extends Anchor ? K : never }[keyof D];

/** Which fields of each kind are anchors, in field order (one table for {@link anchorsOf} and {@link snapDrawing}). */
const ANCHOR_FIELDS: { readonly [T in DrawingType]: readonly AnchorField<Extract<Drawing, { type: T }>>[] } =
  {
    hline: [],
    vline: [],
    trendline: ['from', 'to'],
    ray: ['from', 'to'],
    rect: ['from', 'to'],
    channel: ['from', 'to'],
    fib: ['from', 'to'],
    position: ['entry'],
    range: ['from', 'to'],
    text: [],
    callout: ['at'],
    marker: [],
  };

/** The anchor fields of `d`'s kind, with `d` seen as a record of them. */
function anchorFields(d: Drawing): { fields: readonly string[]; anchors: Readonly<Record<string, Anchor>> } {
  return { fields: ANCHOR_FIELDS[d.type], anchors: d as unknown as Readonly<Record<string, Anchor>> };
}

/** Anchors of a drawing, in field order (for snapping and for time bounds). */
export function anchorsOf(d: Drawing): Anchor[] {
  const { fields, anchors } = anchorFields(d);
  return fields.map((f) => anchors[f] as Anchor);
}

/** Fields of one bar, for snapping. */
export interface SnapBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** Index of the last bar opening at or before `timeUs` (the bar holding it); 0 before the first. */
export function barIndexAt(bars: readonly SnapBar[], timeUs: number): number {
  let lo = 0;
  let hi = bars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((bars[mid]?.time ?? 0) <= timeUs) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * `d` with every anchor that asks for `snap` moved onto its bar: time = the bar's open time,
 * price = the bar's field. `bars` ascending by time; anchors without `snap` are unchanged.
 * Returns `d` itself when nothing snaps.
 */
export function snapDrawing(d: Drawing, bars: readonly SnapBar[]): Drawing {
  if (bars.length === 0 || !anchorsOf(d).some((a) => a.snap !== undefined)) return d;
  const snap = (a: Anchor): Anchor => {
    if (a.snap === undefined) return a;
    const bar = bars[barIndexAt(bars, a.time)] as SnapBar;
    return { time: bar.time, price: bar[a.snap], snap: a.snap };
  };
  const { fields, anchors } = anchorFields(d);
  const snapped: Record<string, unknown> = { ...d };
  for (const f of fields) snapped[f] = snap(anchors[f] as Anchor);
  return snapped as Drawing;
}
