/**
 * Request metrics on a per-gateway prom-client `Registry` (never the global default, so two
 * gateways in one process, or in one test file, count apart): a counter by route, method and
 * status, and a latency histogram by route and method. The route label is the matched route
 * pattern (`/api/candles`, `/api/*` for an unmatched API path), so label values stay bounded.
 */
import type { Handler, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, Registry } from 'prom-client';
import type { GatewayEnv } from '../types.ts';

export interface GatewayMetrics {
  readonly registry: Registry;
  /** Outermost middleware: observes every request, refusals included. */
  readonly middleware: MiddlewareHandler<GatewayEnv>;
  /** `GET /metrics`: the registry in Prometheus text format. */
  readonly handler: Handler<GatewayEnv>;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'qf_gateway_requests_total',
    help: 'HTTP requests answered by the gateway',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'qf_gateway_request_duration_seconds',
    help: 'Time from request to response headers',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const middleware: MiddlewareHandler<GatewayEnv> = async function metricsMiddleware(c, next) {
    const started = performance.now();
    await next();
    const route = routePath(c, -1);
    const method = c.req.method;
    latency.observe({ route, method }, (performance.now() - started) / 1000);
    requests.inc({ route, method, status: String(c.res.status) });
  };

  const handler: Handler<GatewayEnv> = async function metricsHandler(c) {
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  };

  return { registry, middleware, handler };
}
