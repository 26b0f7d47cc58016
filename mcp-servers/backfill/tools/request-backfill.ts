import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { InvalidInputError } from '../../../core/errors.ts';
import {
  checkPeriod,
  DEFAULT_EXCHANGE,
  guard,
  invalidArgument,
  parseTime,
  type ToolExtra,
  textResult,
} from '../../common/index.ts';
import type { BackfillServerDeps } from '../deps.ts';
import { describeJob } from '../format.ts';

export const requestBackfillInput = z.object({
  symbol: z.string().min(1).max(40).describe('Venue symbol to fill, e.g. BTCUSDT (need not be stored yet).'),
  exchange: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe(`Venue id: BINANCE (spot), BINANCE_USDM, BINANCE_COINM (default ${DEFAULT_EXCHANGE}).`),
  dataset: z
    .enum(['bars', 'trades'])
    .optional()
    .describe('bars: from venue klines (default); trades: venue trade history after the stored trades.'),
  period: z.string().min(1).max(20).optional().describe('Bar period of a bars job (default 1m).'),
  from: z.string().describe("Range start, ISO 8601 UTC or a date; not before the symbol's earliest time."),
  to: z.string().optional().describe('Range end (exclusive), ISO 8601 UTC; default now.'),
});

/** Maps the backfill service's field names onto this tool's. */
const FIELD: Readonly<Record<string, string>> = { venue: 'exchange', fromUs: 'from', toUs: 'to' };

/** `request_backfill`: queues a job filling gaps from venue REST history; returns its id. */
export function registerRequestBackfillTool(server: McpServer, deps: BackfillServerDeps): void {
  server.registerTool(
    'request_backfill',
    {
      title: 'Request backfill',
      description:
        'Fill missing history of a symbol into the local store from the venue (bars from klines, or trades). Returns a job id; backfill_status follows it, cancel_backfill stops it.',
      inputSchema: requestBackfillInput,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    guard(
      'request_backfill',
      deps.logger,
      async (args: z.infer<typeof requestBackfillInput>, extra: ToolExtra) => {
        const ctx = deps.resolveContext(extra);
        const period = args.dataset === 'trades' ? undefined : checkPeriod(args.period ?? '1m');
        const fromUs = parseTime(args.from, 'from');
        const toUs = args.to === undefined ? undefined : parseTime(args.to, 'to');
        try {
          const status = await deps.jobs.submit(ctx.userId, {
            venue: (args.exchange ?? DEFAULT_EXCHANGE).toUpperCase(),
            symbol: args.symbol.toUpperCase().replace(/[^A-Z0-9]/g, ''),
            dataset: args.dataset ?? 'bars',
            ...(period === undefined ? {} : { period }),
            fromUs,
            ...(toUs === undefined ? {} : { toUs }),
          });
          return textResult(`Backfill queued. ${describeJob(status)}`);
        } catch (error) {
          if (error instanceof InvalidInputError) {
            const field = FIELD[error.field] ?? error.field;
            return invalidArgument(field, error.message.slice(error.field.length + 2));
          }
          throw error;
        }
      },
    ),
  );
}
