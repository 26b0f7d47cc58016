/**
 * A workspace: the chart a user is looking at (symbol, period, range, theme), the indicators on
 * it and the drawings. The web chart, Telegram and the agents all read this same state.
 * References only, never data.
 */
import { z } from 'zod';
import { drawingSchema } from '../charting/render/index.ts';
import { invalidArgument } from '../common/errors.ts';

export const chartStateSchema = z.object({
  exchange: z.string().min(1),
  symbol: z.string().min(1),
  period: z.string().min(1),
  /** ISO range shown; absent: the latest bars. */
  from: z.string().optional(),
  to: z.string().optional(),
  /** Bars shown when the range is open. */
  bars: z.number().int().positive().default(200),
  theme: z.enum(['light', 'dark']).default('dark'),
});

export const workspaceIndicatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  params: z.record(z.string(), z.number()),
});

export const workspaceDrawingSchema = z.object({ id: z.string(), drawing: drawingSchema });

export const workspaceSchema = z.object({
  version: z.literal(1),
  userId: z.string(),
  workspaceId: z.string(),
  chart: chartStateSchema.nullable(),
  indicators: z.array(workspaceIndicatorSchema),
  drawings: z.array(workspaceDrawingSchema),
  /** Next id number for indicators and drawings (ids are never reused). */
  nextId: z.number().int().positive(),
  updatedAt: z.string(),
});

export type ChartState = z.output<typeof chartStateSchema>;
export type WorkspaceIndicator = z.output<typeof workspaceIndicatorSchema>;
export type WorkspaceDrawing = z.output<typeof workspaceDrawingSchema>;
export type Workspace = z.output<typeof workspaceSchema>;

/** Most indicators and drawings a workspace holds (the chart shows 8 overlays, 3 panes, 50 drawings). */
export const MAX_INDICATORS = 10;
export const MAX_DRAWINGS = 50;

/**
 * `ws` with `drawing` added under the next id (`d<n>`), for every channel that adds one (the
 * MCP `add_drawing` tool, the gateway's API). Throws a ToolInputError when the workspace is full.
 */
export function withDrawing(
  ws: Workspace,
  drawing: WorkspaceDrawing['drawing'],
): { readonly workspace: Workspace; readonly id: string } {
  if (ws.drawings.length >= MAX_DRAWINGS) {
    invalidArgument(
      'drawing',
      `the workspace already holds ${MAX_DRAWINGS} drawings (the most allowed); remove some first`,
    );
  }
  const id = `d${ws.nextId}`;
  return { workspace: { ...ws, drawings: [...ws.drawings, { id, drawing }], nextId: ws.nextId + 1 }, id };
}

/** A fresh, empty workspace. */
export function emptyWorkspace(userId: string, workspaceId: string): Workspace {
  return {
    version: 1,
    userId,
    workspaceId,
    chart: null,
    indicators: [],
    drawings: [],
    nextId: 1,
    updatedAt: new Date(0).toISOString(),
  };
}
