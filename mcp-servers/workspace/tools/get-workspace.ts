import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const getWorkspaceInput = z.object({});

/** `get_workspace`: the brief of the caller's workspace. */
export function registerGetWorkspaceTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'get_workspace',
    {
      title: 'Get workspace',
      description:
        'The current workspace: chart (symbol, period, range), indicators and drawings, as a short brief with ids to refer to them. Never market data.',
      inputSchema: getWorkspaceInput,
      outputSchema: workspaceOutputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(
      'get_workspace',
      deps.logger,
      async (_args: z.infer<typeof getWorkspaceInput>, extra: ToolExtra) => {
        return workspaceResult(await deps.workspaces.load(workspaceKeyOf(deps, extra)));
      },
    ),
  );
}
