import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  DEFAULT_TABLE_ROWS,
  guard,
  MAX_TABLE_ROWS,
  type ToolExtra,
  textResult,
  toCsv,
} from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';

export const getSeriesInput = z.object({
  uri: z.string().min(1).max(80).describe('A series:// reference from an earlier result.'),
  cursor: z.string().max(20).optional().describe('nextCursor of the previous page; omit for the first page.'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_TABLE_ROWS)
    .optional()
    .describe(`Rows per page (default ${DEFAULT_TABLE_ROWS}, at most ${MAX_TABLE_ROWS}).`),
});

/** `get_series`: pages through a stored result. */
export function registerGetSeriesTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'get_series',
    {
      title: 'Get series page',
      description:
        'Page through a series:// reference (bars, trades, indicator values) with a cursor, oldest rows first.',
      inputSchema: getSeriesInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('get_series', deps.logger, async (args: z.infer<typeof getSeriesInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      const page = deps.series.page(ctx.userId, args.uri, args.cursor, args.limit ?? DEFAULT_TABLE_ROWS);
      const total = page.entry.table.rows.length;
      const head = `${page.entry.title}: rows ${page.offset + 1}..${page.offset + page.rows.length} of ${total}.${page.nextCursor === null ? ' Last page.' : ` Next page: cursor "${page.nextCursor}".`}`;
      return textResult(head, toCsv(page.entry.table.columns, page.rows));
    }),
  );
}
