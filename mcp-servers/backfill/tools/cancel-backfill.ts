import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, type ToolExtra, textResult } from '../../common/index.ts';
import type { BackfillServerDeps } from '../deps.ts';
import { describeJob } from '../format.ts';

export const cancelBackfillInput = z.object({
  job_id: z.string().min(1).max(80).describe('Job id to cancel; it stops before its next venue request.'),
});

/** `cancel_backfill`: stops a job (what it already wrote stays). */
export function registerCancelBackfillTool(server: McpServer, deps: BackfillServerDeps): void {
  server.registerTool(
    'cancel_backfill',
    {
      title: 'Cancel backfill',
      description:
        'Cancel one of your backfill jobs; it stops before its next venue request and keeps what it wrote.',
      inputSchema: cancelBackfillInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    guard(
      'cancel_backfill',
      deps.logger,
      async (args: z.infer<typeof cancelBackfillInput>, extra: ToolExtra) => {
        const status = deps.jobs.cancel(deps.resolveContext(extra).userId, args.job_id);
        return textResult(`Cancel requested. ${describeJob(status)}`);
      },
    ),
  );
}
