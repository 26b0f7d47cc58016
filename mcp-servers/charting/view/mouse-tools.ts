/**
 * The drawing tools as a small state machine fed with pointer events already converted to
 * chart points (time snapped to a bar, µs; price): an hline takes one click; a trendline or a
 * rect takes two clicks, or a press, a drag and a release. Pure; the view wires it to the DOM.
 */
import type { Drawing } from '../catalogue.ts';
import type { DrawingTool } from './types.ts';

/** A pointer position: screen pixels (to tell a drag from a click) and the chart point. */
export interface ToolPoint {
  readonly x: number;
  readonly y: number;
  readonly timeUs: number;
  readonly price: number;
}

/** Pixels the pointer must move while pressed for a press-and-release to count as a drag. */
export const DRAG_THRESHOLD = 4;

export interface ToolStep {
  /** The drawing to show while the user is still drawing, or null. */
  readonly preview: Drawing | null;
  /** The finished drawing, once. */
  readonly done: Drawing | null;
}

export interface MouseTool {
  readonly tool: Exclude<DrawingTool, null>;
  down(p: ToolPoint): ToolStep;
  move(p: ToolPoint): ToolStep;
  up(p: ToolPoint): ToolStep;
}

const shape = (tool: 'trendline' | 'rect', a: ToolPoint, b: ToolPoint): Drawing => ({
  type: tool,
  from: { time: a.timeUs, price: a.price },
  to: { time: b.timeUs, price: b.price },
});

const idle: ToolStep = { preview: null, done: null };

/** A fresh tool; after a `done` step it starts over. */
export function createMouseTool(tool: Exclude<DrawingTool, null>): MouseTool {
  if (tool === 'hline') {
    return {
      tool,
      down: (p) => ({ preview: null, done: { type: 'hline', price: p.price } }),
      move: (p) => ({ preview: { type: 'hline', price: p.price }, done: null }),
      up: () => idle,
    };
  }
  let first: ToolPoint | null = null;
  let pressed = false;
  let dragged = false;
  const finish = (p: ToolPoint): ToolStep => {
    const d = shape(tool, first as ToolPoint, p);
    first = null;
    pressed = false;
    dragged = false;
    return { preview: null, done: d };
  };
  return {
    tool,
    down(p) {
      pressed = true;
      if (first === null) {
        first = p;
        dragged = false;
        return { preview: shape(tool, p, p), done: null };
      }
      return finish(p);
    },
    move(p) {
      if (first === null) return idle;
      if (pressed && Math.hypot(p.x - first.x, p.y - first.y) >= DRAG_THRESHOLD) dragged = true;
      return { preview: shape(tool, first, p), done: null };
    },
    up(p) {
      if (first === null || !pressed) return idle;
      pressed = false;
      if (dragged) return finish(p);
      return { preview: shape(tool, first, p), done: null };
    },
  };
}
