import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { ChartingServerDeps } from './deps.ts';
import { registerRenderChartTool } from './tools/render-chart.ts';

/**
 * The charting MCP server: `render_chart` draws stored bars with indicators and drawings
 * server-side (ECharts SSR → resvg PNG) and answers with MCP image content.
 */
export function createChartingServer(deps: ChartingServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-charting', version: '0.1.0' },
    {
      instructions:
        "Chart images. render_chart with no symbol draws the user's workspace chart; give symbol/period/range, indicators and drawings to draw something else.",
    },
  );
  registerRenderChartTool(server, deps);
  return { server, close: () => server.close() };
}
