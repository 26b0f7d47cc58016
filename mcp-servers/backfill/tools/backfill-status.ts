import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra, textResult } from '../../common/index.ts';
import type { BackfillServerDeps } from '../deps.ts';
import { describeJob } from '../format.ts';

export const backfillStatusInput = z.object({
  job_id: z
    .string()
    .min(1)
    .max(80)
    .optional()
    .describe('Job id from request_backfill; omit to list your recent jobs.'),
});

/** `backfill_status`: progress of one job, or the caller's recent jobs. */
export function registerBackfillStatusTool(server: McpServer, deps: BackfillServerDeps): void {
  server.registerTool(
    'backfill_status',
    {
      title: 'Backfill status',
      description:
        'Progress of a backfill job (state, fraction done, gaps found, items written), or your recent jobs.',
      inputSchema: backfillStatusInput,
      annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
    },
    guard(
      'backfill_status',
      deps.logger,
      async (args: z.infer<typeof backfillStatusInput>, extra: ToolExtra) => {
        const ctx = deps.resolveContext(extra);
        if (args.job_id !== undefined)
          return textResult(describeJob(deps.jobs.status(ctx.userId, args.job_id)));
        const jobs = deps.jobs.list(ctx.userId).slice(0, 10);
        return textResult(
          jobs.length === 0 ? 'You have no backfill jobs.' : jobs.map(describeJob).join('\n'),
        );
      },
    ),
  );
}
