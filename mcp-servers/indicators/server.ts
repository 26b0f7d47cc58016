import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { IndicatorsServerDeps } from './deps.ts';
import { registerTools } from './tools/index.ts';

/**
 * The indicators MCP server: `list_indicators` and `compute_indicator` over stored bars or a
 * `series://` reference, with TA-Lib-equal values; `get_series` pages the references it hands out.
 */
export function createIndicatorsServer(deps: IndicatorsServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-indicators', version: '0.1.0' },
    {
      instructions:
        'Technical indicators over stored bars or a series:// reference of bars. list_indicators gives names and params; compute_indicator answers with a summary and the newest rows; a series:// reference holds the rest (get_series pages it).',
    },
  );
  registerTools(server, deps);
  return { server, close: () => server.close() };
}
