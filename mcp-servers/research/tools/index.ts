import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ResearchServerDeps } from '../deps.ts';
import { registerFileTools } from './files.ts';
import { registerHistoryTool } from './history.ts';
import { registerPipInstallTool } from './pip-install.ts';
import { registerRunPythonTool } from './run-python.ts';

/** Registers every research tool on `server`. */
export function registerTools(server: McpServer, deps: ResearchServerDeps): void {
  registerRunPythonTool(server, deps);
  registerFileTools(server, deps);
  registerHistoryTool(server, deps);
  registerPipInstallTool(server, deps);
}
