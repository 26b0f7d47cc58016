/**
 * Workspaces on disk: one JSON file per workspace under
 * `<dataDir>/workspaces/<userId>/<workspaceId>.json`, written atomically (temp file + rename),
 * so a reader never sees half a file. Updates of one workspace are serialized in this process;
 * two processes updating the same workspace at once: the later write wins.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QuantForgeError } from '../../core/errors.ts';
import { SAFE_ID } from '../common/index.ts';
import { emptyWorkspace, type Workspace, workspaceSchema } from './model.ts';

/** Who owns a workspace. */
export interface WorkspaceKey {
  readonly userId: string;
  readonly workspaceId: string;
}

/** Handle on the workspaces of a data directory. */
export interface WorkspaceStore {
  /** The workspace, or an empty one when it was never saved. */
  load(key: WorkspaceKey): Promise<Workspace>;
  /** Applies `change` to the current state and saves the result; returns it. */
  update(key: WorkspaceKey, change: (ws: Workspace) => Workspace): Promise<Workspace>;
  /** Where the workspace's file lives. */
  pathOf(key: WorkspaceKey): string;
  /**
   * Calls `listener` after every update this store saves (other processes' writes are not
   * seen here: watch the files for those). A throwing listener does not fail the update.
   * Returns the unsubscribe function.
   */
  subscribe(listener: WorkspaceChangeListener): () => void;
}

/** Told of each saved update: whose workspace, and its new state. */
export type WorkspaceChangeListener = (key: WorkspaceKey, workspace: Workspace) => void;

/** A workspace file could not be read or was not a workspace. */
export class WorkspaceStoreError extends QuantForgeError {
  override readonly name: string = 'WorkspaceStoreError';
}

/** Creates the store over `<dataDir>/workspaces`. */
export function createWorkspaceStore(options: { dataDir: string; now?: () => Date }): WorkspaceStore {
  const root = join(options.dataDir, 'workspaces');
  const now = options.now ?? (() => new Date());
  const chains = new Map<string, Promise<unknown>>();
  const listeners = new Set<WorkspaceChangeListener>();
  let tmpCounter = 0;

  function pathOf(key: WorkspaceKey): string {
    // The ids come from the transport, but a file name is still checked: no `..`, no slashes.
    for (const [field, id] of [
      ['userId', key.userId],
      ['workspaceId', key.workspaceId],
    ] as const) {
      if (!SAFE_ID.test(id)) {
        throw new WorkspaceStoreError(
          `${field} "${id}" is not a valid id (letters, digits, _ - .; at most 64)`,
        );
      }
    }
    return join(root, key.userId, `${key.workspaceId}.json`);
  }

  async function load(key: WorkspaceKey): Promise<Workspace> {
    const file = pathOf(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return emptyWorkspace(key.userId, key.workspaceId);
      throw new WorkspaceStoreError(`cannot read ${file}`, { cause: error, retriable: true });
    }
    const parsed = workspaceSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new WorkspaceStoreError(`${file} is not a workspace: ${parsed.error.message}`);
    return parsed.data;
  }

  async function save(key: WorkspaceKey, ws: Workspace): Promise<void> {
    const file = pathOf(key);
    await mkdir(join(root, key.userId), { recursive: true });
    const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
    await writeFile(tmp, `${JSON.stringify(ws, null, 2)}\n`, { flush: true });
    await rename(tmp, file);
  }

  return {
    load,
    pathOf,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(key, change) {
      const id = pathOf(key);
      const job = async (): Promise<Workspace> => {
        const next = workspaceSchema.parse({ ...change(await load(key)), updatedAt: now().toISOString() });
        await save(key, next);
        for (const listener of listeners) {
          try {
            listener(key, next);
          } catch {
            // A listener's failure is its own; the update is saved.
          }
        }
        return next;
      };
      const run = (chains.get(id) ?? Promise.resolve()).then(job, job);
      const tail = run.catch(() => undefined);
      chains.set(id, tail);
      void tail.then(() => {
        if (chains.get(id) === tail) chains.delete(id);
      });
      return run;
    },
  };
}
