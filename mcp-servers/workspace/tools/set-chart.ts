import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { z } from 'zod';
import { guard, type ToolExtra } from '../../common/index.ts';
import { changeChart, chartChangeSchema } from '../chart-change.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

/** `set_chart`: changes what the workspace chart shows; omitted fields keep their value. */
export function registerSetChartTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'set_chart',
    {
      title: 'Set chart',
      description:
        'Set the workspace chart: symbol, period, time range or bar count, theme. Omitted fields keep their value. Indicators and drawings stay.',
      inputSchema: chartChangeSchema,
      outputSchema: workspaceOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    guard('set_chart', deps.logger, async (args: z.infer<typeof chartChangeSchema>, extra: ToolExtra) => {
      const ws = await changeChart(deps, workspaceKeyOf(deps, extra), args);
      return workspaceResult(ws, 'Chart set.');
    }),
  );
}
