export { createMetrics, type GatewayMetrics } from './metrics.ts';
