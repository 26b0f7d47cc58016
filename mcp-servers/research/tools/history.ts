import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra, textResult } from '../../common/index.ts';
import { callerOf, type ResearchServerDeps } from '../deps.ts';

export const historyInput = z.object({
  limit: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(20)
    .describe('Most commits to list, newest first (1..200, default 20).'),
});

/** `history`: the git log of the caller's folder. */
export function registerHistoryTool(server: McpServer, deps: ResearchServerDeps): void {
  server.registerTool(
    'history',
    {
      title: 'Research history',
      description:
        'The git history of your research folder, newest first: each run_python and write_file is a commit (id, time, message, files). Read an old run with read_file to rerun or change it.',
      inputSchema: historyInput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guard('history', deps.logger, async (args: z.infer<typeof historyInput>, extra: ToolExtra) => {
      const caller = callerOf(deps, extra);
      const commits = await deps.research.workspaces.history(caller.userId, caller.policy, args.limit);
      const lines = commits.map((c) => `${c.id.slice(0, 12)} ${c.time} ${c.subject} [${c.files.join(', ')}]`);
      return {
        ...textResult(commits.length === 0 ? 'No commits yet: run some code first.' : lines.join('\n')),
        structuredContent: { commits },
      };
    }),
  );
}
