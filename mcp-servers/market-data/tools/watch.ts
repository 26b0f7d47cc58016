/** `watch_subscribe`, `watch_read` (cursor, long-poll) and `watch_unsubscribe`: pull-based live data. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { BUILT_PERIODS } from '../../../core/periods/index.ts';
import {
  barsToTable,
  checkBuiltPeriod,
  exchangeField,
  guard,
  resolveSeries,
  symbolField,
  type ToolExtra,
  textResult,
  toCsv,
} from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';
import { isoOfTrade } from '../summary.ts';

export const watchSubscribeInput = z.object({
  symbol: symbolField,
  exchange: exchangeField,
  stream: z
    .enum(['trades', 'bars'])
    .describe('trades: each new trade; bars: new bars and updates of the forming bar.'),
  period: z
    .string()
    .min(1)
    .max(20)
    .optional()
    .describe(`Bar period for stream "bars": ${BUILT_PERIODS.join(', ')} (default 1m).`),
});
export const watchReadInput = z.object({
  subscription: z.string().min(1).max(40).describe('Subscription id from watch_subscribe.'),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('Cursor from the previous read (or watch_subscribe); omit to start from now.'),
  wait_ms: z
    .number()
    .int()
    .min(0)
    .max(25_000)
    .optional()
    .describe('Wait up to this long for something new (long-poll; default 10000).'),
  max: z.number().int().min(1).max(500).optional().describe('Most items returned (default 100).'),
});
export const watchUnsubscribeInput = z.object({
  subscription: z.string().min(1).max(40).describe('Subscription id to end.'),
});

/** Registers the three watch tools (needs `deps.watches`). */
export function registerWatchTools(server: McpServer, deps: MarketDataServerDeps): void {
  const watches = deps.watches;
  if (watches === undefined) return;
  server.registerTool(
    'watch_subscribe',
    {
      title: 'Watch: subscribe',
      description:
        'Start watching live trades or forming bars of a symbol. Returns a subscription id and a cursor; call watch_read with them to get what happened since.',
      inputSchema: watchSubscribeInput,
      annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
    },
    guard(
      'watch_subscribe',
      deps.logger,
      async (args: z.infer<typeof watchSubscribeInput>, extra: ToolExtra) => {
        const ctx = deps.resolveContext(extra);
        const period = args.stream === 'bars' ? checkBuiltPeriod(args.period ?? '1m') : '';
        const id = await resolveSeries(deps.market, args.symbol, args.exchange);
        const { sub, cursor } = await watches.subscribe(ctx.userId, id, args.stream, period);
        return textResult(
          `Watching ${id.venue}:${id.symbol} ${args.stream}${period ? ` ${period}` : ''} as ${sub.id}. Read with watch_read {"subscription": "${sub.id}", "cursor": "${cursor}"}.`,
        );
      },
    ),
  );
  server.registerTool(
    'watch_read',
    {
      title: 'Watch: read',
      description:
        'Read what a subscription saw since the cursor, waiting up to wait_ms when nothing is new yet. Returns the items as CSV and the next cursor.',
      inputSchema: watchReadInput,
      annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
    },
    guard('watch_read', deps.logger, async (args: z.infer<typeof watchReadInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      const batch = await watches.read(
        ctx.userId,
        args.subscription,
        args.cursor,
        args.wait_ms ?? 10_000,
        args.max ?? 100,
        extra.signal,
      );
      const next = `Next cursor: "${batch.cursor}".`;
      if (batch.trades.length > 0) {
        const rows = batch.trades.map((t) => [
          t.seq,
          isoOfTrade(t.timeUs),
          t.price,
          t.quantity,
          t.aggressor === 1 ? 'buy' : t.aggressor === 2 ? 'sell' : '',
        ]);
        return textResult(
          `${batch.trades.length} new trade(s), last ${batch.trades[batch.trades.length - 1]!.price}. ${next}`,
          toCsv(['seq', 'time', 'price', 'quantity', 'side'], rows),
        );
      }
      if (batch.bars.length > 0) {
        const t = barsToTable(batch.bars);
        return textResult(
          `${batch.bars.length} bar update(s), last close ${batch.bars[batch.bars.length - 1]!.close}. ${next}`,
          toCsv(t.columns, t.rows),
        );
      }
      return textResult(`Nothing new after ${Math.round(batch.waitedMs)} ms. ${next}`);
    }),
  );
  server.registerTool(
    'watch_unsubscribe',
    {
      title: 'Watch: unsubscribe',
      description: 'End a subscription.',
      inputSchema: watchUnsubscribeInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(
      'watch_unsubscribe',
      deps.logger,
      async (args: z.infer<typeof watchUnsubscribeInput>, extra: ToolExtra) => {
        watches.unsubscribe(deps.resolveContext(extra).userId, args.subscription);
        return textResult(`Subscription ${args.subscription} ended.`);
      },
    ),
  );
}
