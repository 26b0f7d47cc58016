import { z } from 'zod';
import { hostSchema, portSchema } from './net.ts';

/** The `gateway` section: the hono HTTP server (API, WebSocket relay, web page). */
export const gatewayConfigSchema = z
  .strictObject({
    host: hostSchema.default('127.0.0.1').describe('Address the gateway listens on; 0.0.0.0 exposes it.'),
    port: portSchema.default(8080).describe('TCP port of the gateway (0 picks a free port).'),
  })
  .describe('Gateway HTTP server.');

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
