import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerSeriesTools } from '../../common/index.ts';
import type { IndicatorsServerDeps } from '../deps.ts';
import { registerComputeIndicatorTool } from './compute-indicator.ts';
import { registerListIndicatorsTool } from './list-indicators.ts';

/** Registers every indicators tool (and get_series, for the references compute_indicator hands out). */
export function registerTools(server: McpServer, deps: IndicatorsServerDeps): void {
  registerListIndicatorsTool(server, deps);
  registerComputeIndicatorTool(server, deps);
  registerSeriesTools(server, deps);
}
