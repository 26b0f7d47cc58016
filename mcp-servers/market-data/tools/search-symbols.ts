import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guard, isoOfUs, textResult, toCsv } from '../../common/index.ts';
import { MARKET_TYPES, type MarketDataServerDeps } from '../deps.ts';
import { allSymbols, matchScore } from '../symbols.ts';

export const searchSymbolsInput = z.object({
  query: z
    .string()
    .max(40)
    .optional()
    .describe('Free text: symbol (BTCUSDT), asset (BTC), part of it, or description words.'),
  exchange: z.string().max(40).optional().describe('Only this exchange id, e.g. BINANCE.'),
  market_type: z
    .enum(['spot', 'perpetual', 'future', 'option'])
    .optional()
    .describe('Only this market type.'),
  limit: z.number().int().min(1).max(100).optional().describe('Most results (default 20).'),
});

/** `search_symbols`: ranked symbols with what is stored for each. */
export function registerSearchSymbolsTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'search_symbols',
    {
      title: 'Search symbols',
      description:
        'Find symbols by free text, exchange and market type, best match first, with the data stored for each (datasets and time range).',
      inputSchema: searchSymbolsInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('search_symbols', deps.logger, async (args: z.infer<typeof searchSymbolsInput>) => {
      const all = await allSymbols(deps.market);
      const hits = all
        .filter((e) => args.exchange === undefined || e.exchange === args.exchange.toUpperCase())
        .filter(
          (e) =>
            args.market_type === undefined ||
            (e.record && MARKET_TYPES[e.record.marketType] === args.market_type),
        )
        .map((e) => ({ e, score: matchScore(e, args.query ?? '') }))
        .filter((x): x is { e: (typeof all)[number]; score: number } => x.score !== null)
        .sort((a, b) => a.score - b.score || a.e.symbol.localeCompare(b.e.symbol))
        .slice(0, args.limit ?? 20);
      const rows = hits.map(({ e }) => {
        const min = Math.min(...e.stored.map((s) => s.minTimeUs));
        const max = Math.max(...e.stored.map((s) => s.maxTimeUs));
        return [
          e.exchange,
          e.symbol,
          e.record?.marketId ?? '',
          e.record ? MARKET_TYPES[e.record.marketType]! : '',
          e.record?.description ?? '',
          e.stored.map((s) => s.dataset).join(' '),
          e.stored.length ? isoOfUs(min) : '',
          e.stored.length ? isoOfUs(max) : '',
        ];
      });
      const head =
        hits.length === 0
          ? `No symbol matches${args.query ? ` "${args.query}"` : ''}; ${all.length} symbol(s) are known (search with no query lists them).`
          : `${hits.length} of ${all.length} symbol(s)${args.query ? ` matching "${args.query}"` : ''}, best first.`;
      return textResult(
        head,
        hits.length
          ? toCsv(['exchange', 'symbol', 'market', 'type', 'description', 'stored', 'from', 'to'], rows)
          : '',
      );
    }),
  );
}
