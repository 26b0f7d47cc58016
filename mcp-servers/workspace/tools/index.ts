import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { WorkspaceServerDeps } from '../deps.ts';
import { registerAddDrawingTool } from './add-drawing.ts';
import { registerAddIndicatorTool } from './add-indicator.ts';
import { registerClearDrawingsTool } from './clear-drawings.ts';
import { registerGetWorkspaceTool } from './get-workspace.ts';
import { registerRemoveDrawingTool } from './remove-drawing.ts';
import { registerRemoveIndicatorTool } from './remove-indicator.ts';
import { registerSetChartTool } from './set-chart.ts';

/** Registers every workspace tool. */
export function registerTools(server: McpServer, deps: WorkspaceServerDeps): void {
  registerGetWorkspaceTool(server, deps);
  registerSetChartTool(server, deps);
  registerAddIndicatorTool(server, deps);
  registerRemoveIndicatorTool(server, deps);
  registerAddDrawingTool(server, deps);
  registerRemoveDrawingTool(server, deps);
  registerClearDrawingsTool(server, deps);
}
