import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { DRAWING_KINDS } from '../../charting/catalogue.ts';
import { drawingSchema } from '../../charting/render/index.ts';
import { guard, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { withDrawing } from '../model.ts';
import { resolveDrawing } from '../resolve-drawing.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

/** The catalogue, one kind a line, as the model reads it. */
const KINDS = Object.entries(DRAWING_KINDS)
  .map(([type, what]) => `- ${type}: ${what}`)
  .join('\n');

export const addDrawingInput = z.object({
  drawing: drawingSchema.describe(
    'The drawing, by `type` (see the tool description for the kinds and their fields). Times are epoch MICROSECONDS (UTC); an anchor {time, price} may add snap: open|high|low|close to sit on that bar; optional color like #26a69a.',
  ),
});

/** `add_drawing`: puts one drawing of the catalogue on the workspace chart. */
export function registerAddDrawingTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'add_drawing',
    {
      title: 'Add drawing',
      description: `Add a drawing to the workspace chart; returns its id (remove_drawing takes it). Kinds:\n${KINDS}\nAn anchor with snap moves to the open time of the bar of the chart's symbol and period holding its time and takes that bar's open/high/low/close as its price (needs set_chart first).`,
      inputSchema: addDrawingInput,
      outputSchema: workspaceOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    guard('add_drawing', deps.logger, async (args: z.infer<typeof addDrawingInput>, extra: ToolExtra) => {
      const key = workspaceKeyOf(deps, extra);
      const drawing = await resolveDrawing(deps, key, args.drawing);
      let id = '';
      const ws = await deps.workspaces.update(key, (current) => {
        const added = withDrawing(current, drawing);
        id = added.id;
        return added.workspace;
      });
      return workspaceResult(ws, `Added ${drawing.type} as ${id}.`);
    }),
  );
}
