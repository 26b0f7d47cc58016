import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, invalidArgument, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const removeIndicatorInput = z.object({
  id: z
    .string()
    .min(1)
    .max(20)
    .describe('Id of the indicator to remove, e.g. i3 (get_workspace lists them).'),
});

/** `remove_indicator`: takes an indicator off the workspace chart. */
export function registerRemoveIndicatorTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'remove_indicator',
    {
      title: 'Remove indicator',
      description: 'Remove one indicator from the workspace chart by its id.',
      inputSchema: removeIndicatorInput,
      outputSchema: workspaceOutputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(
      'remove_indicator',
      deps.logger,
      async (args: z.infer<typeof removeIndicatorInput>, extra: ToolExtra) => {
        const ws = await deps.workspaces.update(workspaceKeyOf(deps, extra), (current) => {
          if (!current.indicators.some((i) => i.id === args.id)) {
            const ids = current.indicators.map((i) => i.id);
            invalidArgument(
              'id',
              `no indicator "${args.id}"; valid: ${ids.length ? ids.join(', ') : 'none (the chart has no indicators)'}`,
            );
          }
          return { ...current, indicators: current.indicators.filter((i) => i.id !== args.id) };
        });
        return workspaceResult(ws, `Removed ${args.id}.`);
      },
    ),
  );
}
