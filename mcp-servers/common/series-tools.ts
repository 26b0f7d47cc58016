/**
 * What every server that hands out `series://` references registers, so a reference can be
 * paged wherever it came from: the `get_series` tool and the `series://{id}` resource (the
 * caller's references, as CSV). The registry is on disk, so this works across processes too.
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Logger } from '../../core/logger.ts';
import type { ContextResolver, ToolExtra } from './context.ts';
import { guard } from './guard.ts';
import { DEFAULT_TABLE_ROWS, MAX_TABLE_ROWS, textResult, toCsv } from './output.ts';
import type { SeriesRegistry } from './series-registry.ts';

/** What {@link registerSeriesTools} needs. */
export interface SeriesToolsDeps {
  readonly series: SeriesRegistry;
  readonly resolveContext: ContextResolver;
  readonly logger?: Logger;
}

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

/** Registers `get_series` and the `series://{id}` resource on `server`. */
export function registerSeriesTools(server: McpServer, deps: SeriesToolsDeps): void {
  server.registerTool(
    'get_series',
    {
      title: 'Get series page',
      description:
        'Page through a series:// reference (bars, trades, indicator values) from any QuantForge server, with a cursor, oldest rows first.',
      inputSchema: getSeriesInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('get_series', deps.logger, async (args: z.infer<typeof getSeriesInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      const page = await deps.series.page(
        ctx.userId,
        args.uri,
        args.cursor,
        args.limit ?? DEFAULT_TABLE_ROWS,
      );
      const next = page.nextCursor === null ? ' Last page.' : ` Next page: cursor "${page.nextCursor}".`;
      const head = `${page.info.title}: rows ${page.offset + 1}..${page.offset + page.rows.length} of ${page.info.rows}.${next}`;
      return textResult(head, toCsv(page.columns, page.rows));
    }),
  );
  server.registerResource(
    'series',
    new ResourceTemplate('series://{id}', {
      list: async (extra) => {
        const ctx = deps.resolveContext(extra);
        return {
          resources: (await deps.series.list(ctx.userId)).map((e) => ({
            uri: e.uri,
            name: e.title,
            mimeType: 'text/csv',
          })),
        };
      },
    }),
    {
      title: 'Stored results',
      description: 'Results too large for a tool answer (bars, trades, indicator values), as CSV.',
      mimeType: 'text/csv',
    },
    async (uri, _vars, extra) => {
      const entry = await deps.series.get(deps.resolveContext(extra).userId, uri.href);
      return {
        contents: [
          { uri: uri.href, mimeType: 'text/csv', text: toCsv(entry.table.columns, entry.table.rows) },
        ],
      };
    },
  );
}
