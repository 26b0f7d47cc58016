/** The research MCP server: a per-user Python sandbox over the store, with git history. */
export { type Caller, callerOf, type ResearchServerDeps } from './deps.ts';
export { createResearchServer } from './server.ts';
export {
  DEFAULT_VENV_DIR,
  defaultResearchPolicy,
  openResearchService,
  QF_PACKAGE_DIR,
  type ResearchService,
  type ResearchServiceOptions,
} from './service.ts';
export type { ResearchPolicy, ResearchWorkspaces, WorkspaceRun } from './workspace/index.ts';
