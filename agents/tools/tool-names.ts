/**
 * Model-facing names of MCP tools: `mcp__<server>__<tool>`, the convention Claude Code and
 * Claude Desktop use, so a soul's allow-list reads the same everywhere.
 */
import { isMcpServerName, type McpServerName } from '../../mcp-servers/registry.ts';

const PREFIX = 'mcp__';
const SEPARATOR = '__';

/** `mcp__<server>__<tool>` for `tool` of `server`. */
export function toMcpToolName(server: McpServerName, tool: string): string {
  return `${PREFIX}${server}${SEPARATOR}${tool}`;
}

/** Server and tool of a model-facing name, or undefined when it is not one of ours. */
export function parseMcpToolName(name: string): { server: McpServerName; tool: string } | undefined {
  if (!name.startsWith(PREFIX)) return undefined;
  const rest = name.slice(PREFIX.length);
  const at = rest.indexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const server = rest.slice(0, at);
  const tool = rest.slice(at + SEPARATOR.length);
  if (tool === '' || !isMcpServerName(server)) return undefined;
  return { server, tool };
}
