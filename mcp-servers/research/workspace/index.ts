/** Per-user research folders: git history of the code, scratch outputs, idle deletion of free ones. */
export type { Commit } from './git.ts';
export { type Area, type FolderPath, folderPath } from './paths.ts';
export {
  commitSubject,
  createResearchWorkspaces,
  type FolderEntry,
  PipNotAllowedError,
  type ResearchPolicy,
  type ResearchWorkspaces,
  type ResearchWorkspacesOptions,
  type WorkspaceRun,
} from './workspaces.ts';
