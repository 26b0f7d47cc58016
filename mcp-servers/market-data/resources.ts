/**
 * Resources: `quantforge://symbols` (every known symbol as CSV). `series://{id}` comes with the
 * shared series tools (`common/series-tools.ts`).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { isoOfUs, toCsv } from '../common/index.ts';
import { MARKET_TYPES, type MarketDataServerDeps } from './deps.ts';
import { allSymbols } from './symbols.ts';

/** Registers the symbols resource. */
export function registerResources(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerResource(
    'symbols',
    'quantforge://symbols',
    {
      title: 'Symbols',
      description: 'Every known symbol with its market id, type and stored range.',
      mimeType: 'text/csv',
    },
    async (uri) => {
      const rows = (await allSymbols(deps.market)).map((e) => [
        e.exchange,
        e.symbol,
        e.record?.marketId ?? '',
        MARKET_TYPES[e.record?.marketType ?? 0] ?? '',
        e.stored.map((s) => s.dataset).join(' '),
        e.stored.length ? isoOfUs(Math.min(...e.stored.map((s) => s.minTimeUs))) : '',
        e.stored.length ? isoOfUs(Math.max(...e.stored.map((s) => s.maxTimeUs))) : '',
      ]);
      return {
        contents: [
          {
            uri: uri.href,
            mimeType: 'text/csv',
            text: toCsv(['exchange', 'symbol', 'market', 'type', 'stored', 'from', 'to'], rows),
          },
        ],
      };
    },
  );
}
