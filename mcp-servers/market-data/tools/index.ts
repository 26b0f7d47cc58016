import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerSeriesTools } from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';
import { registerAlertTools } from './alerts.ts';
import { registerGetBarsTool } from './get-bars.ts';
import { registerGetCoverageTool } from './get-coverage.ts';
import { registerGetQuoteTool } from './get-quote.ts';
import { registerGetSymbolInfoTool } from './get-symbol-info.ts';
import { registerGetTradesTool } from './get-trades.ts';
import { registerSearchSymbolsTool } from './search-symbols.ts';
import { registerWatchTools } from './watch.ts';

/** Registers every market-data tool. */
export function registerTools(server: McpServer, deps: MarketDataServerDeps): void {
  registerSearchSymbolsTool(server, deps);
  registerGetSymbolInfoTool(server, deps);
  registerGetQuoteTool(server, deps);
  registerGetBarsTool(server, deps);
  registerGetTradesTool(server, deps);
  registerGetCoverageTool(server, deps);
  registerSeriesTools(server, deps);
  registerWatchTools(server, deps);
  registerAlertTools(server, deps);
}
