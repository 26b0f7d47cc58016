import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const clearDrawingsInput = z.object({});

/** `clear_drawings`: removes every drawing. */
export function registerClearDrawingsTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'clear_drawings',
    {
      title: 'Clear drawings',
      description: 'Remove every drawing from the workspace chart (indicators and the chart stay).',
      inputSchema: clearDrawingsInput,
      outputSchema: workspaceOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(
      'clear_drawings',
      deps.logger,
      async (_args: z.infer<typeof clearDrawingsInput>, extra: ToolExtra) => {
        let removed = 0;
        const ws = await deps.workspaces.update(workspaceKeyOf(deps, extra), (current) => {
          removed = current.drawings.length;
          return { ...current, drawings: [] };
        });
        return workspaceResult(ws, `Removed ${removed} drawing(s).`);
      },
    ),
  );
}
