import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  barsToTable,
  compactTable,
  DEFAULT_TABLE_ROWS,
  exchangeField,
  fromField,
  guard,
  loadBars,
  MAX_BARS,
  MAX_TABLE_ROWS,
  periodField,
  resolveSeries,
  symbolField,
  type ToolExtra,
  textResult,
  toField,
} from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';
import { summarizeBars } from '../summary.ts';

export const getBarsInput = z.object({
  symbol: symbolField,
  exchange: exchangeField,
  period: periodField,
  from: fromField,
  to: toField,
  bars: z
    .number()
    .int()
    .min(1)
    .max(MAX_BARS)
    .optional()
    .describe(
      `Bars to load when the range is open: the latest before "to", or the first from "from" (default 100, at most ${MAX_BARS}).`,
    ),
  rows: z
    .number()
    .int()
    .min(0)
    .max(MAX_TABLE_ROWS)
    .optional()
    .describe(
      `Newest rows shown inline as CSV (default ${DEFAULT_TABLE_ROWS}); all bars go to a series:// reference when more.`,
    ),
});

/** `get_bars`: OHLCV bars of any period over a range or the latest N, summarized. */
export function registerGetBarsTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'get_bars',
    {
      title: 'Get bars',
      description:
        'OHLCV bars (candles) of a symbol for a period (1m..1M) over a time range or the latest N: a summary (range, last close, change, high/low, volume), the newest rows as CSV, and a series:// reference to all bars when they do not fit.',
      inputSchema: getBarsInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('get_bars', deps.logger, async (args: z.infer<typeof getBarsInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      const id = await resolveSeries(deps.market, args.symbol, args.exchange);
      const { bars } = await loadBars(deps.market, {
        series: id,
        period: args.period,
        from: args.from,
        to: args.to,
        limit: args.bars ?? 100,
      });
      const what = `${id.venue}:${id.symbol} ${args.period}`;
      if (bars.length === 0)
        return textResult(`${what}: no bars in that range; get_coverage shows what is stored.`);
      const compact = await compactTable({
        table: barsToTable(bars),
        limit: args.rows,
        registry: deps.series,
        ownerId: ctx.userId,
        title: `${what} bars`,
      });
      return textResult(summarizeBars(what, bars), compact.csv, compact.note);
    }),
  );
}
