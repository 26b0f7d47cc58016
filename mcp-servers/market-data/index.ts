/** The market-data MCP server. */

export type { AlertToolsDeps } from './deps.ts';
export { MARKET_TYPES, type MarketDataServerDeps } from './deps.ts';
export { createMarketDataServer } from './server.ts';
export { summarizeBars, summarizeTrades } from './summary.ts';
export {
  type AlertCaller,
  type CreateAlertArgs,
  type CreateAlertDeps,
  type CreatedAlert,
  createAlert,
  createAlertInput,
  deleteAlertInput,
  describeRule,
  marketTimeUs,
} from './tools/alerts.ts';
export {
  createWatchRegistry,
  type WatchRegistry,
  type WatchRegistryOptions,
  type WatchStream,
} from './watch.ts';
