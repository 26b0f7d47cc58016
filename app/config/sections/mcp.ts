import { z } from 'zod';
import { MCP_SERVER_NAMES } from '../../../mcp-servers/server-names.ts';
import { hostSchema, portSchema } from './net.ts';

/** The MCP servers QuantForge ships (one list with the servers'); `mcp.toolsets` enables a subset. */
export const MCP_TOOLSETS = MCP_SERVER_NAMES;

const httpSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        'quantforge start also opens this separate MCP listener; the gateway serves MCP at <gateway>/mcp/<server> either way (quantforge mcp http always uses it).',
      ),
    host: hostSchema.default('127.0.0.1').describe('Address the separate MCP HTTP listener listens on.'),
    port: portSchema
      .default(8081)
      .describe('TCP port of the separate MCP HTTP listener (0 picks a free port).'),
    allowedHosts: z
      .array(hostSchema)
      .min(1, 'expected at least one host name')
      .default(['127.0.0.1', 'localhost', '[::1]'])
      .describe(
        'Host header values accepted on MCP requests, at the gateway and the separate listener (DNS-rebinding protection); add the public name when exposed.',
      ),
  })
  .describe(
    'MCP over streamable HTTP; clients authenticate with bearer tokens from secrets.yaml mcp.tokens or the generated owner token.',
  );

/**
 * The `mcp` section: the MCP servers and their HTTP endpoint.
 * Temporary home until `mcp-servers/` has its own config.ts.
 */
export const mcpConfigSchema = z
  .strictObject({
    http: httpSchema.prefault({}),
    toolsets: z
      .array(z.enum(MCP_TOOLSETS))
      .default([...MCP_TOOLSETS])
      .describe(`MCP servers enabled: ${MCP_TOOLSETS.join(', ')}.`),
  })
  .describe('MCP servers.');

export type McpConfig = z.infer<typeof mcpConfigSchema>;
