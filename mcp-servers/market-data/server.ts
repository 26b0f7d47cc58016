import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { MarketDataServerDeps } from './deps.ts';
import { registerResources } from './resources.ts';
import { registerTools } from './tools/index.ts';

/**
 * The market-data MCP server: symbols, quotes, bars, trades and coverage from the historical
 * store, as compact summaries + bounded CSV + `series://` references.
 */
export function createMarketDataServer(deps: MarketDataServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-market-data', version: '0.1.0' },
    {
      instructions:
        'Market data from the QuantForge store. search_symbols finds symbols; get_bars/get_trades answer with a summary and the newest rows; a series:// reference holds the rest (get_series pages it).',
    },
  );
  registerTools(server, deps);
  registerResources(server, deps);
  return { server, close: () => server.close() };
}
