/**
 * Workspace changes for the WebSocket hub, from every channel: updates saved by this process's
 * store arrive through `store.subscribe` at once; writes by other processes (a stdio MCP server
 * run by Claude Desktop, Telegram) are seen by watching `<dataDir>/workspaces/` recursively
 * (the store writes atomically by rename, so a changed file is reloaded whole), debounced per
 * workspace. Listeners may hear the same state twice (the hook and the watch); the hub
 * compares `updatedAt`.
 */
import { type FSWatcher, mkdirSync, watch } from 'node:fs';
import { join, sep } from 'node:path';
import type { Logger } from '../../core/logger.ts';
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
  const timers = new Map<string, NodeJS.Timeout>();

  const emit = (id: string, workspace: Workspace): void => {
    const entry = listeners.get(id);
    if (entry === undefined) return;
    for (const listener of entry.set) listener(workspace);
  };

  const unhook = deps.store.subscribe((key, workspace) => emit(keyString(key), workspace));

  const root = join(deps.dataDir, 'workspaces');
  mkdirSync(root, { recursive: true });
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, filename) => {
    if (filename === null) return;
    // `<userId>/<workspaceId>.json`; temp files (`….json.<pid>.<n>.tmp`) and dirs are skipped.
    const parts = filename.toString().split(sep);
    if (parts.length !== 2 || !parts[1]!.endsWith('.json')) return;
    const id = `${parts[0]}/${parts[1]!.slice(0, -'.json'.length)}`;
    const entry = listeners.get(id);
    if (entry === undefined) return;
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => {
        timers.delete(id);
        deps.store.load(entry.key).then(
          (workspace) => emit(id, workspace),
          (error: unknown) =>
            deps.logger?.warn({ err: error, workspace: id }, 'gateway: workspace reload failed'),
        );
      }, debounceMs),
    );
  });
  watcher.on('error', (error) => deps.logger?.warn({ err: error }, 'gateway: workspace watch failed'));

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
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
