/**
 * The workspace as the page reads it (from `GET /api/workspace` and `workspace` messages): the
 * chart it names, its drawings and indicators for the view. Browser-safe: the drawing schema is
 * the catalogue's, nothing of the server-side workspace module.
 */
import * as z from 'zod';
import { drawingSchema } from '../../mcp-servers/charting/catalogue.ts';
import type { ViewDrawing, ViewIndicator } from '../../mcp-servers/charting/view/types.ts';
import type { ShownSeries } from './subscriptions.ts';

export const pageWorkspaceSchema = z.object({
  workspaceId: z.string(),
  chart: z
    .object({
      exchange: z.string().min(1),
      symbol: z.string().min(1),
      period: z.string().min(1),
      theme: z.enum(['light', 'dark']).optional(),
    })
    .nullable(),
  indicators: z.array(
    z.object({ id: z.string(), name: z.string(), params: z.record(z.string(), z.number()) }),
  ),
  drawings: z.array(z.object({ id: z.string(), drawing: drawingSchema })),
  updatedAt: z.string(),
});
export type PageWorkspace = z.output<typeof pageWorkspaceSchema>;

/** The series the workspace's chart names, if any. */
export function chartSeriesOf(ws: PageWorkspace): ShownSeries | undefined {
  return ws.chart === null
    ? undefined
    : { exchange: ws.chart.exchange, symbol: ws.chart.symbol, period: ws.chart.period };
}

export function viewDrawingsOf(ws: PageWorkspace): ViewDrawing[] {
  return ws.drawings;
}

export function viewIndicatorsOf(ws: PageWorkspace): ViewIndicator[] {
  return ws.indicators;
}

/**
 * Whether a workspace update should move the page to its chart: only when the workspace's chart
 * itself changed (an agent or another channel called set_chart), not merely because the user
 * looks at another symbol here. Returns the series to show, or undefined to stay.
 */
export function chartToFollow(
  previous: PageWorkspace | undefined,
  next: PageWorkspace,
): ShownSeries | undefined {
  const was = previous === undefined ? undefined : chartSeriesOf(previous);
  const now = chartSeriesOf(next);
  if (now === undefined) return undefined;
  if (
    was !== undefined &&
    was.exchange === now.exchange &&
    was.symbol === now.symbol &&
    was.period === now.period
  )
    return undefined;
  return now;
}

/**
 * Whether `next` may replace `shown`: not when it is older (a slow HTTP answer racing a
 * `workspace` message). `updatedAt` is ISO 8601 UTC, so strings compare in time order.
 */
export function isNotOlder(shown: PageWorkspace | undefined, next: PageWorkspace): boolean {
  return shown === undefined || shown.workspaceId !== next.workspaceId || next.updatedAt >= shown.updatedAt;
}
