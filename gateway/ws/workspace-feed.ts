/**
 * Workspace changes for the WebSocket hub, from every channel: updates saved by this process's
 * store arrive through `store.subscribe` at once; writes by other processes (a stdio MCP server
 * run by Claude Desktop, Telegram) are seen by watching `<dataDir>/workspaces/` recursively
 * (the store writes atomically by rename, so a changed file is reloaded whole), debounced per
 * workspace. Listeners may hear the same state twice (the hook and the watch); the hub
 * compares `updatedAt`.
 */
import { join, sep } from 'node:path';
import type { Logger } from '../../core/logger.ts';
import { watchJsonFiles } from '../../core/watch-json-files.ts';
import type { Workspace, WorkspaceKey, WorkspaceStore } from '../../mcp-servers/workspace/index.ts';

export type WorkspaceListener = (workspace: Workspace) => void;

/** What the hub needs of workspaces: read one, hear its changes. */
export interface WorkspaceFeed {
  load(key: WorkspaceKey): Promise<Workspace>;
  subscribe(key: WorkspaceKey, listener: WorkspaceListener): () => void;
}

export interface WorkspaceFeedDeps {
  readonly store: WorkspaceStore;
  /** The data directory the store was created over (its workspaces live in `workspaces/`). */
  readonly dataDir: string;
  readonly logger?: Pick<Logger, 'warn'>;
}

export interface WorkspaceFeedOptions {
  /** Quiet time after a file event before the workspace is reloaded (default 30 ms). */
  readonly debounceMs?: number;
}

const keyString = (key: WorkspaceKey): string => `${key.userId}/${key.workspaceId}`;

/** The feed, watching until `close()`. */
export function createWorkspaceFeed(
  deps: WorkspaceFeedDeps,
  options: WorkspaceFeedOptions = {},
): WorkspaceFeed & { close(): void } {
  const debounceMs = options.debounceMs ?? 30;
  const listeners = new Map<string, { key: WorkspaceKey; set: Set<WorkspaceListener> }>();

  const emit = (id: string, workspace: Workspace): void => {
    const entry = listeners.get(id);
    if (entry === undefined) return;
    for (const listener of entry.set) listener(workspace);
  };

  const unhook = deps.store.subscribe((key, workspace) => emit(keyString(key), workspace));

  // Other processes' saves: `<userId>/<workspaceId>.json` (a deeper or shallower name is not one).
  const watcher = watchJsonFiles(
    join(deps.dataDir, 'workspaces'),
    {
      recursive: true,
      debounceMs,
      what: 'workspaces',
      ...(deps.logger ? { logger: deps.logger } : {}),
    },
    (name) => {
      const parts = name.split(sep);
      if (parts.length !== 2) return;
      const id = `${parts[0]}/${parts[1]}`;
      const entry = listeners.get(id);
      if (entry === undefined) return;
      deps.store.load(entry.key).then(
        (workspace) => emit(id, workspace),
        (error: unknown) =>
          deps.logger?.warn({ err: error, workspace: id }, 'gateway: workspace reload failed'),
      );
    },
  );

  return {
    load: (key) => deps.store.load(key),
    subscribe(key, listener) {
      const id = keyString(key);
      let entry = listeners.get(id);
      if (entry === undefined) {
        entry = { key: { userId: key.userId, workspaceId: key.workspaceId }, set: new Set() };
        listeners.set(id, entry);
      }
      const { set } = entry;
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(id)?.set === set) listeners.delete(id);
      };
    },
    close() {
      unhook();
      watcher.close();
    },
  };
}
