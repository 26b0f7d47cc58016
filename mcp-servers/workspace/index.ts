/** The workspace MCP server and its store (used by the gateway and Telegram too). */
export { BRIEF_MAX_CHARS, formatBrief } from './brief.ts';
export {
  type ChartChange,
  type ChartChangeDeps,
  changeChart,
  chartChangeSchema,
} from './chart-change.ts';
export type { WorkspaceServerDeps } from './deps.ts';
export {
  type ChartState,
  emptyWorkspace,
  MAX_DRAWINGS,
  MAX_INDICATORS,
  type Workspace,
  type WorkspaceDrawing,
  type WorkspaceIndicator,
  withDrawing,
  workspaceSchema,
} from './model.ts';
export { type ResolveDrawingDeps, resolveDrawing } from './resolve-drawing.ts';
export { createWorkspaceServer } from './server.ts';
export {
  createWorkspaceStore,
  type WorkspaceChangeListener,
  type WorkspaceKey,
  type WorkspaceStore,
  WorkspaceStoreError,
} from './workspace-store.ts';
