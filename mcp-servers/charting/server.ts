import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { ChartingServerDeps } from './deps.ts';
import { registerChartApp } from './tools/chart-app.ts';
import { registerRenderChartTool } from './tools/render-chart.ts';

/**
 * The charting MCP server: `render_chart` draws stored bars with indicators and drawings
 * server-side (ECharts SSR → resvg PNG) and answers with MCP image content; `show_chart` offers
 * the same chart as an MCP App (`ui://quantforge/chart.html`, interactive in hosts that support
 * Apps, the PNG elsewhere). It lives here, not on the workspace server, because this server
 * already holds the market data, the caller's workspace and the PNG path the app falls back to.
 */
export function createChartingServer(deps: ChartingServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-charting', version: '0.1.0' },
    {
      instructions:
        "Chart images. render_chart with no symbol draws the user's workspace chart; give symbol/period/range, indicators and drawings to draw something else. show_chart shows it to the user as an interactive chart.",
    },
  );
  registerRenderChartTool(server, deps);
  registerChartApp(server, deps);
  return { server, close: () => server.close() };
}
