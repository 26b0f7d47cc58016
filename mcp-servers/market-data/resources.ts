/**
 * Resources: `quantforge://symbols` (every known symbol as CSV) and `series://{id}` (a stored
 * result of the caller, as CSV; listed per user).
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { isoOfUs, toCsv } from '../common/index.ts';
import { MARKET_TYPES, type MarketDataServerDeps } from './deps.ts';
import { allSymbols } from './symbols.ts';

/** Registers the symbols and series resources. */
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
  server.registerResource(
    'series',
    new ResourceTemplate('series://{id}', {
      list: async (extra) => {
        const ctx = deps.resolveContext(extra);
        return {
          resources: deps.series
            .list(ctx.userId)
            .map((e) => ({ uri: e.uri, name: e.title, mimeType: 'text/csv' })),
        };
      },
    }),
    {
      title: 'Stored results',
      description: 'Results too large for a tool answer (bars, trades, indicator values), as CSV.',
      mimeType: 'text/csv',
    },
    async (uri, _vars, extra) => {
      const entry = deps.series.get(deps.resolveContext(extra).userId, uri.href);
      return {
        contents: [
          { uri: uri.href, mimeType: 'text/csv', text: toCsv(entry.table.columns, entry.table.rows) },
        ],
      };
    },
  );
}
