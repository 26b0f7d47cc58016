import { z } from 'zod';
import { hostSchema, httpUrlSchema, portSchema } from './net.ts';

const filesSchema = z
  .strictObject({
    ttlMinutes: z
      .int()
      .min(1)
      .default(60)
      .describe('Minutes a temporary file (a chart image, a plot) stays downloadable before it is swept.'),
    maxBytes: z
      .int()
      .min(1)
      .default(10 * 1024 * 1024)
      .describe('Largest temporary file accepted, in bytes.'),
  })
  .describe('Temporary files under /files/* (per user, under <dataDir>/_files/<user>/).');

/** The `gateway` section: the hono HTTP server (API, MCP, files, WebSocket relay, web page). */
export const gatewayConfigSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Run the gateway in quantforge start (web page, /api, /mcp, /files on one port).'),
    host: hostSchema.default('127.0.0.1').describe('Address the gateway listens on; 0.0.0.0 exposes it.'),
    port: portSchema.default(8080).describe('TCP port of the gateway (0 picks a free port).'),
    publicUrl: httpUrlSchema
      .optional()
      .describe(
        'URL users reach the gateway at when it is behind a proxy or exposed (printed links use it; its host is accepted by the MCP DNS-rebinding guard); default http://<host>:<port>.',
      ),
    sessionTtlSeconds: z
      .int()
      .min(60)
      .default(8 * 3600)
      .describe('Lifetime of a web session (the cookie a login link sets), in seconds.'),
    loginLinkTtlMinutes: z
      .int()
      .min(1)
      .default(60)
      .describe(
        'Minutes the one-time login link printed at start stays usable (each start prints a new one).',
      ),
    allowedOrigins: z
      .array(httpUrlSchema)
      .default([])
      .describe(
        "Origins besides the gateway's own whose pages may call it (e.g. a dev server); others get 403.",
      ),
    files: filesSchema.prefault({}),
  })
  .describe('Gateway HTTP server.');

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
