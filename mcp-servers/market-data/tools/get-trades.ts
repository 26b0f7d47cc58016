import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  compactTable,
  DEFAULT_TABLE_ROWS,
  exchangeField,
  fromField,
  guard,
  invalidArgument,
  MAX_TABLE_ROWS,
  parseTime,
  resolveSeries,
  symbolField,
  type ToolExtra,
  textResult,
  toField,
} from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';
import { isoOfTrade, summarizeTrades } from '../summary.ts';

/** Most trades one call loads. */
export const MAX_TRADES = 20_000;

export const getTradesInput = z.object({
  symbol: symbolField,
  exchange: exchangeField,
  from: fromField,
  to: toField,
  from_seq: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('First trade seq (inclusive); use instead of from/to.'),
  to_seq: z.number().int().min(1).optional().describe('Last trade seq (inclusive).'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_TRADES)
    .optional()
    .describe(
      `Most trades to load, oldest first from the start of the range (default 1000, at most ${MAX_TRADES}).`,
    ),
  rows: z
    .number()
    .int()
    .min(0)
    .max(MAX_TABLE_ROWS)
    .optional()
    .describe(
      `Newest rows shown inline (default ${DEFAULT_TABLE_ROWS}); all go to a series:// reference when more.`,
    ),
});

/** `get_trades`: stored trades by time or seq range. */
export function registerGetTradesTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'get_trades',
    {
      title: 'Get trades',
      description:
        'Stored trades of a symbol by time range or seq range (seq is the gap-free per-series sequence): summary (count, last price, VWAP, buy share), newest rows as CSV, series:// reference for all.',
      inputSchema: getTradesInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('get_trades', deps.logger, async (args: z.infer<typeof getTradesInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      const bySeq = args.from_seq !== undefined || args.to_seq !== undefined;
      if (bySeq && (args.from !== undefined || args.to !== undefined)) {
        invalidArgument('from_seq', 'give a time range (from/to) or a seq range (from_seq/to_seq), not both');
      }
      if (args.from_seq !== undefined && args.to_seq !== undefined && args.from_seq > args.to_seq) {
        invalidArgument('from_seq', `${args.from_seq} is after to_seq ${args.to_seq}`);
      }
      const id = await resolveSeries(deps.market, args.symbol, args.exchange);
      const fromUs = args.from === undefined ? undefined : parseTime(args.from, 'from');
      const toUs = args.to === undefined ? undefined : parseTime(args.to, 'to');
      if (fromUs !== undefined && toUs !== undefined && fromUs >= toUs)
        invalidArgument('from', `${args.from} is not before to ${args.to}`);
      const trades = await deps.market.getTrades({
        ...id,
        ...(bySeq ? { fromSeq: args.from_seq, toSeq: args.to_seq } : { fromUs, toUs }),
        limit: args.limit ?? 1000,
      });
      const what = `${id.venue}:${id.symbol} trades`;
      if (trades.length === 0)
        return textResult(`${what}: none in that range; get_coverage shows what is stored.`);
      const table = {
        columns: ['seq', 'time', 'price', 'quantity', 'side', 'trade_id'],
        rows: trades.map((t) => [
          t.seq,
          isoOfTrade(t.timeUs),
          t.price,
          t.quantity,
          t.aggressor === 1 ? 'buy' : t.aggressor === 2 ? 'sell' : '',
          t.tradeId,
        ]),
      };
      const compact = await compactTable({
        table,
        limit: args.rows,
        registry: deps.series,
        ownerId: ctx.userId,
        title: what,
      });
      const capped =
        trades.length === (args.limit ?? 1000)
          ? ` Stopped at the limit of ${trades.length}; continue with from_seq ${trades[trades.length - 1]!.seq + 1}.`
          : '';
      return textResult(summarizeTrades(what, trades) + capped, compact.csv, compact.note);
    }),
  );
}
