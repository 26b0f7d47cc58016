/** The charting MCP server; the renderer lives in `./render`. */
export { type BuildChartSpecInput, buildChartSpec, MAX_OVERLAYS, MAX_PANES } from './build-spec.ts';
export type { ChartingServerDeps } from './deps.ts';
export { createChartingServer } from './server.ts';
