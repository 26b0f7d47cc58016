/** Server names this build serves (a subset of the config's `mcp.toolsets`). */
export const MCP_SERVER_NAMES = [
  'market-data',
  'indicators',
  'charting',
  'backfill',
  'workspace',
  'research',
] as const;
export type McpServerName = (typeof MCP_SERVER_NAMES)[number];
