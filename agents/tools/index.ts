/**
 * The agents' tools: our MCP servers as model tools (`mcp__<server>__<tool>`), reached in
 * process or over streamable HTTP with the request context fixed by the transport, and the
 * shapes local tools share with them.
 */
export {
  type HttpConnectorOptions,
  httpConnector,
  inProcessConnector,
  type McpConnection,
  type McpServerConnector,
} from './connectors.ts';
export { errorOutcome, type McpCallResult, toToolOutcome } from './to-outcome.ts';
export { createToolCatalog, type ServerTools, type ToolCatalog } from './tool-catalog.ts';
export { createMcpToolHost, type McpToolHostOptions, type ToolHost, ToolHostError } from './tool-host.ts';
export { parseMcpToolName, toMcpToolName } from './tool-names.ts';
export type { LocalTool, ModelTool, ToolOutcome, ToolResultContent } from './types.ts';
