/** The indicators MCP server, and the helpers the charting server shares. */
export { describeIndicator, findCrosses } from './analysis.ts';
export { computeOnBars, type IndicatorRequest, prepareIndicator } from './compute.ts';
export type { IndicatorsServerDeps } from './deps.ts';
export { indicatorLabel, ZONES } from './presentation.ts';
export { createIndicatorsServer } from './server.ts';
