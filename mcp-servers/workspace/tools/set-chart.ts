import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  checkPeriod,
  DEFAULT_EXCHANGE,
  exchangeField,
  guard,
  invalidArgument,
  MAX_BARS,
  parseTime,
  resolveSeries,
  type ToolExtra,
} from '../../common/index.ts';
import { type WorkspaceServerDeps, workspaceKeyOf } from '../deps.ts';
import type { ChartState } from '../model.ts';
import { workspaceOutputSchema, workspaceResult } from './result.ts';

export const setChartInput = z.object({
  symbol: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('Symbol to show, e.g. BTCUSDT or BTC/USDT; required when no chart is set yet.'),
  exchange: exchangeField,
  period: z
    .string()
    .min(1)
    .max(20)
    .optional()
    .describe('Bar period, e.g. 1m, 5m, 1h, 1d (default 1h for a new chart).'),
  from: z
    .string()
    .optional()
    .describe('Range start, ISO 8601 UTC; give "" to clear the range and follow the latest bars.'),
  to: z.string().optional().describe('Range end, ISO 8601 UTC (exclusive); "" clears it.'),
  bars: z
    .number()
    .int()
    .min(10)
    .max(MAX_BARS)
    .optional()
    .describe(`Bars shown when no range is set (10..${MAX_BARS}; default 200).`),
  theme: z.enum(['light', 'dark']).optional().describe('Chart theme (default dark).'),
});

/** `set_chart`: changes what the workspace chart shows; omitted fields keep their value. */
export function registerSetChartTool(server: McpServer, deps: WorkspaceServerDeps): void {
  server.registerTool(
    'set_chart',
    {
      title: 'Set chart',
      description:
        'Set the workspace chart: symbol, period, time range or bar count, theme. Omitted fields keep their value. Indicators and drawings stay.',
      inputSchema: setChartInput,
      outputSchema: workspaceOutputSchema,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    guard('set_chart', deps.logger, async (args: z.infer<typeof setChartInput>, extra: ToolExtra) => {
      const key = workspaceKeyOf(deps, extra);
      if (args.period !== undefined) checkPeriod(args.period);
      if (args.from) parseTime(args.from, 'from');
      if (args.to) parseTime(args.to, 'to');
      if (args.from && args.to && parseTime(args.from, 'from') >= parseTime(args.to, 'to')) {
        invalidArgument('from', `${args.from} is not before to ${args.to}`);
      }
      let resolved: { venue: string; symbol: string } | undefined;
      if (args.symbol !== undefined) {
        resolved =
          deps.market === undefined
            ? {
                venue: (args.exchange ?? DEFAULT_EXCHANGE).toUpperCase(),
                symbol: args.symbol.toUpperCase().replace(/[^A-Z0-9]/g, ''),
              }
            : await resolveSeries(deps.market, args.symbol, args.exchange);
      }
      const ws = await deps.workspaces.update(key, (current) => {
        const prev = current.chart;
        if (prev === null && resolved === undefined) {
          invalidArgument('symbol', 'no chart is set yet; give a symbol (search_symbols lists them)');
        }
        const next: ChartState = {
          exchange: resolved?.venue ?? prev!.exchange,
          symbol: resolved?.symbol ?? prev!.symbol,
          period: args.period ?? prev?.period ?? '1h',
          from: args.from === undefined ? prev?.from : args.from || undefined,
          to: args.to === undefined ? prev?.to : args.to || undefined,
          bars: args.bars ?? prev?.bars ?? 200,
          theme: args.theme ?? prev?.theme ?? 'dark',
        };
        return { ...current, chart: next };
      });
      return workspaceResult(ws, 'Chart set.');
    }),
  );
}
