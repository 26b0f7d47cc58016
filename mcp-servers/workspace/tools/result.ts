/** The answer every workspace tool gives: the brief as text, the state as structured content. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { formatBrief } from '../brief.ts';
import {
  chartStateSchema,
  type Workspace,
  workspaceDrawingSchema,
  workspaceIndicatorSchema,
} from '../model.ts';

export const workspaceOutputSchema = z.object({
  workspaceId: z.string().describe('The workspace acted on (from the request context).'),
  brief: z.string().describe('At most ~1,000 characters naming the chart, indicators and drawings.'),
  chart: chartStateSchema.nullable().describe('The chart shown, or null before set_chart.'),
  indicators: z.array(workspaceIndicatorSchema).describe('Indicators on the chart, with their ids.'),
  drawings: z.array(workspaceDrawingSchema).describe('Drawings on the chart, with their ids.'),
});

/** Text brief (with an optional first line saying what changed) plus the structured state. */
export function workspaceResult(ws: Workspace, change = ''): CallToolResult {
  const brief = formatBrief(ws);
  return {
    content: [{ type: 'text', text: change === '' ? brief : `${change}\n${brief}` }],
    structuredContent: {
      workspaceId: ws.workspaceId,
      brief,
      chart: ws.chart,
      indicators: ws.indicators,
      drawings: ws.drawings,
    },
  };
}
