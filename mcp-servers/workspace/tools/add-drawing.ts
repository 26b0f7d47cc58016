import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { drawingSchema } from '../../charting/render/index.ts';
import { guard, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { withDrawing } from '../model.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const addDrawingInput = z.object({
  drawing: drawingSchema.describe(
    'The drawing, by type: hline {price, label?}, trendline/rect {from:{time,price}, to:{time,price}, label?}, vline {time, label?}, text {time, price, text}, marker {side: buy|sell, time, price, text?}. Times are epoch MICROSECONDS (UTC); optional color like #26a69a.',
  ),
});

/** `add_drawing`: puts a level, line, zone, annotation or marker on the workspace chart. */
export function registerAddDrawingTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'add_drawing',
    {
      title: 'Add drawing',
      description:
        'Add a drawing to the workspace chart: horizontal level, trend line, rectangle/zone, vertical line, text annotation or buy/sell marker. Returns its id.',
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
      let id = '';
      const ws = await deps.workspaces.update(workspaceKeyOf(deps, extra), (current) => {
        const added = withDrawing(current, args.drawing);
        id = added.id;
        return added.workspace;
      });
      return workspaceResult(ws, `Added ${args.drawing.type} as ${id}.`);
    }),
  );
}
