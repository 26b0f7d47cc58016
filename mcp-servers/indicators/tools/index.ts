import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { IndicatorsServerDeps } from '../deps.ts';
import { registerComputeIndicatorTool } from './compute-indicator.ts';
import { registerListIndicatorsTool } from './list-indicators.ts';

/** Registers every indicators tool. */
export function registerTools(server: McpServer, deps: IndicatorsServerDeps): void {
  registerListIndicatorsTool(server, deps);
  registerComputeIndicatorTool(server, deps);
}
