import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { exchangeField, guard, isoOfUs, resolveSeries, symbolField } from '../../common/index.ts';
import { MARKET_TYPES, type MarketDataServerDeps } from '../deps.ts';
import { allSymbols } from '../symbols.ts';

export const getSymbolInfoInput = z.object({ symbol: symbolField, exchange: exchangeField });

const outputSchema = z.object({
  exchange: z.string().describe('Exchange id.'),
  symbol: z.string().describe('Venue-native symbol.'),
  marketId: z.string().describe('Unified id, e.g. BTC/USDT.'),
  marketType: z.string().describe('spot, perpetual, future, option or unspecified.'),
  description: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  earliestTime: z.string().describe('Earliest time the venue has data for (ISO), or "" when unknown.'),
  tickSize: z.string(),
  lotSize: z.string(),
  supportedPeriods: z.array(z.string()),
  columns: z.array(z.string()),
  status: z.string(),
  stored: z
    .array(z.object({ dataset: z.string(), rows: z.number(), from: z.string(), to: z.string() }))
    .describe('What the local store holds for the symbol.'),
});

/** `get_symbol_info`: the ingestion API fields of one symbol plus what is stored. */
export function registerGetSymbolInfoTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'get_symbol_info',
    {
      title: 'Symbol info',
      description:
        'One symbol: exchange, market id, type, base/quote asset, earliest time, tick and lot size, supported periods, and what the store holds.',
      inputSchema: getSymbolInfoInput,
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('get_symbol_info', deps.logger, async (args: z.infer<typeof getSymbolInfoInput>) => {
      const id = await resolveSeries(deps.market, args.symbol, args.exchange);
      const e = (await allSymbols(deps.market)).find(
        (x) => x.exchange === id.venue && x.symbol === id.symbol,
      )!;
      const r = e.record;
      const info: z.infer<typeof outputSchema> = {
        exchange: id.venue,
        symbol: id.symbol,
        marketId: r?.marketId ?? '',
        marketType: MARKET_TYPES[r?.marketType ?? 0] ?? 'unspecified',
        description: r?.description ?? '',
        baseAsset: r?.baseAsset ?? '',
        quoteAsset: r?.quoteAsset ?? '',
        earliestTime: r?.earliestTimeUs ? isoOfUs(r.earliestTimeUs) : '',
        tickSize: r?.tickSize ?? '',
        lotSize: r?.lotSize ?? '',
        supportedPeriods: [...(r?.supportedPeriods ?? [])],
        columns: [...(r?.columns ?? [])],
        status: r?.status ?? '',
        stored: e.stored.map((s) => ({
          dataset: s.dataset,
          rows: s.rows,
          from: isoOfUs(s.minTimeUs),
          to: isoOfUs(s.maxTimeUs),
        })),
      };
      const stored = info.stored.map((s) => `${s.dataset} ${s.rows} rows ${s.from}..${s.to}`).join('; ');
      const text = `${info.exchange}:${info.symbol} (${info.marketId || 'no registry entry'}, ${info.marketType}) ${info.description}. Base ${info.baseAsset}, quote ${info.quoteAsset}; tick ${info.tickSize}, lot ${info.lotSize}; earliest ${info.earliestTime || 'unknown'}; periods ${info.supportedPeriods.join(' ') || 'n/a'}; status ${info.status || 'n/a'}. Stored: ${stored || 'nothing'}.`;
      return { content: [{ type: 'text', text }], structuredContent: info };
    }),
  );
}
