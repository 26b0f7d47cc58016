/// <reference lib="dom" />
/**
 * A catalogue drawing as a lightweight-charts series primitive: on every viewport change it
 * turns the drawing into shapes (`./shapes.ts`) and its pane view paints them; the library's
 * hit test asks it whether the pointer is on it (a pointer cursor when hovering).
 */
import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  PrimitiveHoveredItem,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts';
import type { Drawing } from '../catalogue.ts';
import { DELETE_RADIUS, deleteButtonAt, drawingDistance, HIT_TOLERANCE } from './hit-test.ts';
import { drawingShapes, type Frame, LABEL_FONT, type Shape } from './shapes.ts';

/** Paints shapes on a 2D context in CSS pixels; `selected` thickens strokes. */
export function paintShapes(
  ctx: CanvasRenderingContext2D,
  shapes: readonly Shape[],
  selected: boolean,
): void {
  ctx.font = LABEL_FONT;
  for (const s of shapes) {
    switch (s.k) {
      case 'line':
        ctx.beginPath();
        ctx.strokeStyle = s.color;
        ctx.lineWidth = selected ? s.width + 1.5 : s.width;
        ctx.setLineDash(s.dash ? [6, 4] : []);
        ctx.moveTo(s.x1, s.y1);
        ctx.lineTo(s.x2, s.y2);
        ctx.stroke();
        break;
      case 'box':
        ctx.fillStyle = s.fill;
        ctx.fillRect(s.x1, s.y1, s.x2 - s.x1, s.y2 - s.y1);
        if (s.stroke) {
          ctx.strokeStyle = s.stroke;
          ctx.lineWidth = selected ? 2.5 : 1;
          ctx.setLineDash([]);
          ctx.strokeRect(s.x1, s.y1, s.x2 - s.x1, s.y2 - s.y1);
        }
        break;
      case 'poly': {
        ctx.beginPath();
        ctx.fillStyle = s.fill;
        for (const [i, [x, y]] of s.points.entries()) {
          if (i === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
        ctx.closePath();
        ctx.fill();
        break;
      }
      case 'text': {
        ctx.textAlign = s.align;
        ctx.textBaseline = s.baseline === 'top' ? 'top' : s.baseline === 'middle' ? 'middle' : 'bottom';
        if (s.background) {
          const w = ctx.measureText(s.text).width + 8;
          const h = 20;
          const left = s.align === 'left' ? s.x : s.align === 'center' ? s.x - w / 2 : s.x - w;
          const top = s.baseline === 'top' ? s.y : s.baseline === 'middle' ? s.y - h / 2 : s.y - h;
          ctx.fillStyle = s.background;
          ctx.fillRect(left, top, w, h);
          ctx.fillStyle = s.color;
          ctx.fillText(s.text, s.align === 'left' ? s.x + 4 : s.align === 'right' ? s.x - 4 : s.x, s.y);
        } else {
          ctx.fillStyle = s.color;
          ctx.fillText(s.text, s.x, s.y);
        }
        break;
      }
    }
  }
  ctx.setLineDash([]);
}

/** Paints the × (delete) button centred at (x, y). */
export function paintDeleteButton(ctx: CanvasRenderingContext2D, x: number, y: number, color: string): void {
  ctx.beginPath();
  ctx.fillStyle = color;
  ctx.arc(x, y, DELETE_RADIUS, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 1.5;
  const r = DELETE_RADIUS / 2.5;
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.stroke();
}

/** What a drawing primitive reads from its view. */
export interface PrimitiveHost {
  /** The current frame, or null before the chart has bars. */
  frame(): Frame | null;
  isSelected(id: string): boolean;
}

/** One drawing (or the in-progress preview, id ''), attached to the candle series. */
export class DrawingPrimitive implements ISeriesPrimitive<Time> {
  shapes: readonly Shape[] = [];
  /** Centre of the × button while selected. */
  deleteButton: [number, number] | null = null;
  private requestUpdate: (() => void) | null = null;
  private readonly views: readonly IPrimitivePaneView[];

  constructor(
    readonly id: string,
    private drawings: readonly Drawing[],
    private readonly host: PrimitiveHost,
  ) {
    const renderer: IPrimitivePaneRenderer = {
      draw: (target) =>
        target.useMediaCoordinateSpace(({ context }) => {
          const selected = this.id !== '' && this.host.isSelected(this.id);
          paintShapes(context, this.shapes, selected);
          if (selected && this.deleteButton) {
            paintDeleteButton(context, this.deleteButton[0], this.deleteButton[1], '#f23645');
          }
        }),
    };
    this.views = [{ zOrder: () => 'top', renderer: () => renderer }];
  }

  /** The drawing(s) shown (one for a workspace drawing; the preview and pending ones for id ''). */
  setDrawings(drawings: readonly Drawing[]): void {
    this.drawings = drawings;
    this.updateAllViews();
    this.requestUpdate?.();
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.requestUpdate = null;
  }

  updateAllViews(): void {
    const f = this.host.frame();
    this.shapes = f ? this.drawings.flatMap((d) => drawingShapes(d, f)) : [];
    this.deleteButton =
      f && this.id !== '' && this.host.isSelected(this.id)
        ? deleteButtonAt(this.shapes, f.width, f.height)
        : null;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  hitTest(x: number, y: number): PrimitiveHoveredItem | null {
    if (this.id === '') return null;
    const distance = drawingDistance(this.shapes, x, y);
    if (distance > HIT_TOLERANCE) return null;
    return { externalId: this.id, zOrder: 'top', cursorStyle: 'pointer', distance, itemType: 'primitive' };
  }
}
