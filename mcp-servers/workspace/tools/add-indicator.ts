import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { getIndicatorInfo, parseIndicatorParams } from '../../../indicators/index.ts';
import { guard, invalidArgument, type ToolExtra } from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import { MAX_INDICATORS } from '../model.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const addIndicatorInput = z.object({
  indicator: z
    .string()
    .min(1)
    .max(30)
    .describe('Indicator name, e.g. sma, ema, rsi, macd, bbands (list_indicators).'),
  params: z
    .record(z.string(), z.number())
    .optional()
    .describe('Parameters by name, e.g. {"period": 20}; omitted ones take their defaults.'),
});

/** `add_indicator`: puts an indicator on the workspace chart. */
export function registerAddIndicatorTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'add_indicator',
    {
      title: 'Add indicator',
      description:
        'Add an indicator to the workspace chart (overlays draw on the price pane, oscillators in their own pane). Returns its id.',
      inputSchema: addIndicatorInput,
      outputSchema: workspaceOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: false,
      },
    },
    guard('add_indicator', deps.logger, async (args: z.infer<typeof addIndicatorInput>, extra: ToolExtra) => {
      const info = getIndicatorInfo(args.indicator);
      const params = parseIndicatorParams(info.name, args.params ?? {});
      let id = '';
      const ws = await deps.workspaces.update(workspaceKeyOf(deps, extra), (current) => {
        if (current.indicators.length >= MAX_INDICATORS) {
          invalidArgument(
            'indicator',
            `the workspace already holds ${MAX_INDICATORS} indicators (the most allowed); remove one first`,
          );
        }
        id = `i${current.nextId}`;
        return {
          ...current,
          indicators: [...current.indicators, { id, name: info.name, params }],
          nextId: current.nextId + 1,
        };
      });
      return workspaceResult(ws, `Added ${info.name} as ${id}.`);
    }),
  );
}
