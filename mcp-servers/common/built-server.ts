import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

/** What every `createXServer(deps)` returns: the server and how to shut it down. */
export interface BuiltServer {
  readonly server: McpServer;
  close(): Promise<void>;
}
