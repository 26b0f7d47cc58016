import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { BuiltServer } from '../common/index.ts';
import type { WorkspaceServerDeps } from './deps.ts';
import { registerTools } from './tools/index.ts';

/**
 * The workspace MCP server: the caller's chart, indicators and drawings, persisted per user
 * and workspace. The user and workspace come from `deps.resolveContext`, never from arguments.
 *
 * @example
 * const { server } = createWorkspaceServer({ workspaces: createWorkspaceStore({ dataDir }), resolveContext });
 * await server.connect(new StdioServerTransport());
 */
export function createWorkspaceServer(deps: WorkspaceServerDeps): BuiltServer {
  const server = new McpServer(
    { name: 'quantforge-workspace', version: '0.1.0' },
    {
      instructions:
        'The user workspace: the chart they look at (symbol, period, range), its indicators and drawings. Call get_workspace first; refer to indicators and drawings by id.',
    },
  );
  registerTools(server, deps);
  return { server, close: () => server.close() };
}
