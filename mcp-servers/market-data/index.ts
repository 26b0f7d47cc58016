/** The market-data MCP server. */
export { MARKET_TYPES, type MarketDataServerDeps } from './deps.ts';
export { createMarketDataServer } from './server.ts';
export { summarizeBars, summarizeTrades } from './summary.ts';
export {
  createWatchRegistry,
  type WatchRegistry,
  type WatchRegistryOptions,
  type WatchStream,
} from './watch.ts';
