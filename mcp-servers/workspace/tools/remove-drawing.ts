import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, invalidArgument, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const removeDrawingInput = z.object({
  id: z.string().min(1).max(20).describe('Id of the drawing to remove, e.g. d4 (get_workspace lists them).'),
});

/** `remove_drawing`: removes one drawing by id. */
export function registerRemoveDrawingTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'remove_drawing',
    {
      title: 'Remove drawing',
      description: 'Remove one drawing from the workspace chart by its id.',
      inputSchema: removeDrawingInput,
      outputSchema: workspaceOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(
      'remove_drawing',
      deps.logger,
      async (args: z.infer<typeof removeDrawingInput>, extra: ToolExtra) => {
        const ws = await deps.workspaces.update(workspaceKeyOf(deps, extra), (current) => {
          if (!current.drawings.some((d) => d.id === args.id)) {
            const ids = current.drawings.map((d) => d.id);
            invalidArgument(
              'id',
              `no drawing "${args.id}"; valid: ${ids.length ? ids.join(', ') : 'none (the chart has no drawings)'}`,
            );
          }
          return { ...current, drawings: current.drawings.filter((d) => d.id !== args.id) };
        });
        return workspaceResult(ws, `Removed ${args.id}.`);
      },
    ),
  );
}
