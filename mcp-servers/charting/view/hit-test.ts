/**
 * Which drawing is under the mouse, from the shapes it is painted with (pure): strokes within
 * a few pixels, filled areas and labels anywhere inside. Also where a selected drawing's ×
 * (delete) button sits.
 */
import { LABEL_HEIGHT, type Shape, textWidth } from './shapes.ts';

/** Pixels around a stroke that still count as on it. */
export const HIT_TOLERANCE = 5;

/** Distance from (px, py) to the segment (x1, y1)–(x2, y2). */
export function segmentDistance(
  px: number,
  py: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / len2));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}

/** Box of a text shape: [left, top, right, bottom]. */
export function textBox(s: Extract<Shape, { k: 'text' }>): [number, number, number, number] {
  const w = textWidth(s.text) + (s.background ? 8 : 0);
  const h = LABEL_HEIGHT + (s.background ? 6 : 0);
  const left = s.align === 'left' ? s.x : s.align === 'center' ? s.x - w / 2 : s.x - w;
  const top = s.baseline === 'top' ? s.y : s.baseline === 'middle' ? s.y - h / 2 : s.y - h;
  return [left, top, left + w, top + h];
}

function insidePolygon(px: number, py: number, pts: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i] as readonly [number, number];
    const [xj, yj] = pts[j] as readonly [number, number];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Distance from (px, py) to a shape: 0 inside an area or label, else to the nearest stroke. */
export function shapeDistance(s: Shape, px: number, py: number): number {
  switch (s.k) {
    case 'line':
      return segmentDistance(px, py, s.x1, s.y1, s.x2, s.y2);
    case 'box': {
      const dx = Math.max(s.x1 - px, 0, px - s.x2);
      const dy = Math.max(s.y1 - py, 0, py - s.y2);
      return Math.hypot(dx, dy);
    }
    case 'poly':
      return insidePolygon(px, py, s.points)
        ? 0
        : Math.min(
            ...s.points.map((p, i) => {
              const q = s.points[(i + 1) % s.points.length] as readonly [number, number];
              return segmentDistance(px, py, p[0], p[1], q[0], q[1]);
            }),
          );
    case 'text': {
      const [l, t, r, b] = textBox(s);
      return Math.hypot(Math.max(l - px, 0, px - r), Math.max(t - py, 0, py - b));
    }
  }
}

/**
 * How near (px, py) is to a drawing made of `shapes`: the distance to its nearest stroke, but
 * a point inside an area or a label counts as HIT_TOLERANCE away, so a line under the pointer
 * wins over a zone or label it crosses. Infinity when there are no shapes.
 */
export function drawingDistance(shapes: readonly Shape[], px: number, py: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const s of shapes) {
    let d = shapeDistance(s, px, py);
    if (d === 0 && s.k !== 'line') {
      d = HIT_TOLERANCE;
      if (s.k === 'box' && s.stroke) {
        d = Math.min(d, px - s.x1, s.x2 - px, py - s.y1, s.y2 - py);
      }
    }
    best = Math.min(best, d);
  }
  return best;
}

/** The id of the drawing nearest to (px, py) within the tolerance (on a tie, the one drawn last: on top). */
export function hitDrawing(
  drawings: Iterable<{ readonly id: string; readonly shapes: readonly Shape[] }>,
  px: number,
  py: number,
  tolerance = HIT_TOLERANCE,
): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const d of drawings) {
    const distance = drawingDistance(d.shapes, px, py);
    if (distance <= tolerance && distance <= bestDistance) {
      best = d.id;
      bestDistance = distance;
    }
  }
  return best;
}

/** Bounding box of shapes: [left, top, right, bottom], or null when there are none. */
export function shapesBounds(shapes: readonly Shape[]): [number, number, number, number] | null {
  let l = Number.POSITIVE_INFINITY;
  let t = Number.POSITIVE_INFINITY;
  let r = Number.NEGATIVE_INFINITY;
  let b = Number.NEGATIVE_INFINITY;
  const add = (x: number, y: number) => {
    l = Math.min(l, x);
    t = Math.min(t, y);
    r = Math.max(r, x);
    b = Math.max(b, y);
  };
  for (const s of shapes) {
    if (s.k === 'line' || s.k === 'box') {
      add(s.x1, s.y1);
      add(s.x2, s.y2);
    } else if (s.k === 'poly') for (const [x, y] of s.points) add(x, y);
    else {
      const [tl, tt, tr, tb] = textBox(s);
      add(tl, tt);
      add(tr, tb);
    }
  }
  return Number.isFinite(l) ? [l, t, r, b] : null;
}

/** Radius of the × button. */
export const DELETE_RADIUS = 8;

/** Centre of the × button of a selected drawing: its top-right corner, kept inside the pane. */
export function deleteButtonAt(
  shapes: readonly Shape[],
  width: number,
  height: number,
): [number, number] | null {
  const bounds = shapesBounds(shapes);
  if (!bounds) return null;
  const m = DELETE_RADIUS + 2;
  const x = Math.min(Math.max(bounds[2] + m, m), width - m);
  const y = Math.min(Math.max(bounds[1] - m, m), height - m);
  return [x, y];
}
