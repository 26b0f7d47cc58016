import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { listIndicators } from '../../../indicators/index.ts';
import { guard, textResult, toCsv } from '../../common/index.ts';
import type { IndicatorsServerDeps } from '../deps.ts';

export const listIndicatorsInput = z.object({
  search: z
    .string()
    .max(40)
    .optional()
    .describe('Only indicators whose name or title contains this text (case-insensitive), e.g. "average".'),
});

/** `list_indicators`: names, params with defaults and ranges, output columns, placement. */
export function registerListIndicatorsTool(server: McpServer, deps: IndicatorsServerDeps): void {
  server.registerTool(
    'list_indicators',
    {
      title: 'List indicators',
      description:
        'Indicators available to compute_indicator and charts: name, title, params (name=default [min..max]), output columns, inputs, and whether it draws over price (overlay) or in its own pane.',
      inputSchema: listIndicatorsInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('list_indicators', deps.logger, async (args: z.infer<typeof listIndicatorsInput>) => {
      const needle = args.search?.toLowerCase() ?? '';
      const all = listIndicators().filter(
        (i) => i.name.includes(needle) || i.title.toLowerCase().includes(needle),
      );
      const rows = all.map((i) => [
        i.name,
        i.title,
        i.params.map((p) => `${p.name}=${p.default} [${p.min}..${p.max}]`).join(' '),
        i.outputs.join(' '),
        i.inputs.join(' '),
        i.overlay ? 'overlay' : 'pane',
      ]);
      return textResult(
        `${all.length} indicator(s)${needle ? ` matching "${args.search}"` : ''}. Values equal TA-Lib's where TA-Lib defines them; use compute_indicator or add_indicator with the name and params.`,
        toCsv(['name', 'title', 'params', 'outputs', 'inputs', 'placement'], rows),
      );
    }),
  );
}
