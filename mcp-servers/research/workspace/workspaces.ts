/**
 * Per-user research folders: `<researchDir>/<user>/` is a git repository with `src/` (the
 * user's code, committed after every run and write) and `scratch/` (outputs, untracked). Free
 * folders are deleted once idle past `idleMs` (the sweeper, on an injected clock); persistent
 * ones are kept. Whether a user's folder persists, and their run limits, are inputs (the caller
 * maps the licence to them); the flag is recorded in the folder so a restarted process sweeps
 * what an earlier one left.
 *
 * Everything touching one user's folder runs under that user's lock, so no run of theirs is
 * changing `src/` while a tool reads, writes or commits it.
 */
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { QuantForgeError } from '../../../core/errors.ts';
import { invalidArgument } from '../../common/errors.ts';
import type { PythonSandbox, RunPythonResult, SandboxLimitsInput } from '../sandbox/index.ts';
import { type Commit, userGit } from './git.ts';
import { type Area, type FolderPath, folderPath } from './paths.ts';

/** What the licence grants one user here (decided by the caller). */
export interface ResearchPolicy {
  /** Keep the folder across idle time and restarts (paid tiers); false: delete it once idle. */
  readonly persistent: boolean;
  /** May pip install packages into the folder (pip_install, network to the package index only). Default false. */
  readonly pip?: boolean;
  readonly limits?: SandboxLimitsInput;
}

/** The caller's licence does not allow pip install. */
export class PipNotAllowedError extends QuantForgeError {
  override readonly name: string = 'PipNotAllowedError';
  constructor() {
    super(
      'pip install is not part of your licence: your runs can use the installed polars, pandas, numpy, scipy, statsmodels, duckdb and matplotlib; a higher tier can install more',
    );
  }
}

/** Options of {@link createResearchWorkspaces}. */
export interface ResearchWorkspacesOptions {
  /** Root of the user folders; the same the sandbox was given. */
  readonly researchDir: string;
  readonly sandbox: PythonSandbox;
  /** Idle time after which a free folder is deleted. Default 30 minutes. */
  readonly idleMs?: number;
  /** Wall clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** A run, its code file and its commit; `firstOutputMs` counts from the call (lock wait and git included). */
export interface WorkspaceRun extends RunPythonResult {
  /** The run's number (1, 2, …) in this folder. */
  readonly run: number;
  /** Where its code was written, e.g. `src/runs/3.py`. */
  readonly file: string;
  /** The commit holding the code (and whatever the run wrote under `src/`). */
  readonly commit: string | null;
}

/** A file of the folder, relative to it. */
export interface FolderEntry {
  readonly path: string;
  readonly bytes: number;
}

/** The research folders of every user. */
export interface ResearchWorkspaces {
  /** Writes `code` to `file` (default `src/runs/<n>.py`), runs it in the sandbox and commits it. */
  run(request: {
    readonly userId: string;
    readonly code: string;
    readonly file?: string;
    readonly policy: ResearchPolicy;
  }): Promise<WorkspaceRun>;
  /**
   * pip installs `packages` into the user's `scratch/.site-packages` (importable from the next
   * run); refused unless `policy.pip`. Nothing is committed (scratch is not in git).
   */
  pipInstall(request: {
    readonly userId: string;
    readonly packages: readonly string[];
    readonly policy: ResearchPolicy;
  }): Promise<RunPythonResult>;
  /** Files under `src/` and `scratch/` (dot-entries left out), path order, at most `limit`. */
  listFiles(
    userId: string,
    policy: ResearchPolicy,
    limit?: number,
  ): Promise<{ files: FolderEntry[]; total: number }>;
  /**
   * A file under `src/` or `scratch/` (its first `maxBytes` when given) and its whole size;
   * symlinks out of the area are refused.
   */
  readFile(
    userId: string,
    path: string,
    policy: ResearchPolicy,
    maxBytes?: number,
  ): Promise<{ data: Buffer; size: number }>;
  /** Writes a file under `src/` and commits it. */
  writeFile(
    userId: string,
    path: string,
    content: string,
    policy: ResearchPolicy,
  ): Promise<{ path: string; commit: string | null }>;
  /** The newest `limit` commits. */
  history(userId: string, policy: ResearchPolicy, limit: number): Promise<Commit[]>;
  /** Deletes free folders idle past `idleMs`; answers the users whose folders went. */
  sweep(): Promise<string[]>;
  /** Sweeps every `everyMs` until the returned function is called. */
  startSweeper(everyMs: number): () => void;
}

/** Our bookkeeping in each user folder (outside the sandbox's binds). */
const MARKER = '.qf-research.json';
const RUN_FILE = /^(\d{1,9})\.py$/;
const MAX_LIST = 1000;

interface Marker {
  readonly persistent: boolean;
  readonly lastUsedMs: number;
}

function parseMarker(text: string): Marker | null {
  try {
    const v = JSON.parse(text) as Partial<Marker>;
    return typeof v.persistent === 'boolean' && typeof v.lastUsedMs === 'number'
      ? { persistent: v.persistent, lastUsedMs: v.lastUsedMs }
      : null;
  } catch {
    return null;
  }
}

/** First line of the code's intent: its leading comment or docstring, else `run <n>`. */
export function commitSubject(code: string, run: number, file: string): string {
  const fallback = file === `src/runs/${run}.py` ? `run ${run}` : `run ${run}: ${file}`;
  for (const raw of code.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#!') || /^#.*coding[:=]/.test(line)) continue;
    const comment = /^#+\s*(.*)$/.exec(line)?.[1];
    const doc = /^[rRuU]?("""|''')\s*(.*?)\s*(?:\1)?$/.exec(line)?.[2];
    const intent = (comment ?? doc ?? '').trim();
    if (intent === '') return fallback;
    return intent.length > 72 ? `${intent.slice(0, 71)}…` : intent;
  }
  return fallback;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/');
}

/** Creates the folders' manager. Nothing runs until called (the sweeper starts on request). */
export function createResearchWorkspaces(options: ResearchWorkspacesOptions): ResearchWorkspaces {
  const { researchDir, sandbox } = options;
  const idleMs = options.idleMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  const locks = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task of `userId` (one at a time per user). */
  function locked<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const prev = locks.get(userId) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    locks.set(userId, tail);
    void tail.then(() => {
      if (locks.get(userId) === tail) locks.delete(userId);
    });
    return next;
  }

  /** The user's folder, created (a git repository) on first use, marked with the policy and time. */
  async function openFolder(userId: string, policy: ResearchPolicy): Promise<string> {
    const dirs = sandbox.userDirs(userId); // checks the id
    const root = dirname(dirs.src);
    await mkdir(dirs.src, { recursive: true });
    await mkdir(dirs.scratch, { recursive: true });
    const git = userGit(root, userId);
    if (
      !(await stat(join(root, '.git', 'HEAD')).then(
        () => true,
        () => false,
      ))
    )
      await git.init();
    const marker: Marker = { persistent: policy.persistent, lastUsedMs: now() };
    await writeFile(join(root, MARKER), `${JSON.stringify(marker)}\n`);
    return root;
  }

  /** `p`'s real location, refused unless inside the real `area` folder of `root`. */
  async function realInside(root: string, area: Area, p: FolderPath, field: string): Promise<string> {
    const base = await realpath(join(root, area));
    const real = await realpath(join(root, p.path)).catch(() => invalidArgument(field, `no file ${p.path}`));
    if (!isInside(base, real))
      invalidArgument(field, `${p.path} leads outside ${area}/ (a symlink); refused`);
    return real;
  }

  async function nextRun(root: string): Promise<number> {
    const names = await readdir(join(root, 'src', 'runs')).catch(() => [] as string[]);
    let max = 0;
    for (const n of names) {
      const m = RUN_FILE.exec(n);
      if (m !== null) max = Math.max(max, Number(m[1]));
    }
    return max + 1;
  }

  /** Writes `content` to `p` (under src/), refusing a parent that is a symlink out of src/ or a symlink file. */
  async function writeUnderSrc(root: string, p: FolderPath, content: string, field: string): Promise<void> {
    const base = await realpath(join(root, 'src'));
    const parent = dirname(join(root, p.path));
    await mkdir(parent, { recursive: true });
    const realParent = await realpath(parent);
    if (realParent !== base && !isInside(base, realParent)) {
      invalidArgument(field, `${p.path} leads outside src/ (a symlink); refused`);
    }
    const fh = await open(
      join(realParent, p.path.slice(p.path.lastIndexOf('/') + 1)),
      constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
      0o644,
    ).catch((e: NodeJS.ErrnoException) =>
      invalidArgument(
        field,
        e.code === 'ELOOP'
          ? `${p.path} is a symlink; refused`
          : `cannot write ${p.path}: ${e.code ?? e.message}`,
      ),
    );
    try {
      await fh.writeFile(content);
    } finally {
      await fh.close();
    }
  }

  return {
    run(request) {
      const called = performance.now();
      return locked(request.userId, async () => {
        const root = await openFolder(request.userId, request.policy);
        const n = await nextRun(root);
        const file = folderPath('file', request.file ?? `src/runs/${n}.py`, ['src']);
        await writeUnderSrc(root, file, request.code, 'file');
        const sandboxStarted = performance.now();
        const result = await sandbox.runPython({
          code: request.code,
          userId: request.userId,
          ...(request.policy.limits === undefined ? {} : { limits: request.policy.limits }),
        });
        const status = result.timedOut
          ? `killed at the wall-time limit after ${(result.durationMs / 1000).toFixed(1)} s`
          : `exit ${result.exitCode ?? result.killedBy ?? '?'} in ${(result.durationMs / 1000).toFixed(1)} s`;
        const commit = await userGit(root, request.userId).commitSrc(
          `${commitSubject(request.code, n, file.path)}\n\nrun ${n} of ${file.path}: ${status}`,
          now(),
        );
        const firstOutputMs =
          result.firstOutputMs === null ? null : result.firstOutputMs + (sandboxStarted - called);
        return { ...result, firstOutputMs, run: n, file: file.path, commit };
      });
    },

    pipInstall(request) {
      if (request.policy.pip !== true) return Promise.reject(new PipNotAllowedError());
      return locked(request.userId, async () => {
        await openFolder(request.userId, request.policy);
        return sandbox.pipInstall({
          userId: request.userId,
          packages: request.packages,
          ...(request.policy.limits === undefined ? {} : { limits: request.policy.limits }),
        });
      });
    },

    listFiles(userId, policy, limit = MAX_LIST) {
      return locked(userId, async () => {
        const root = await openFolder(userId, policy);
        const files: FolderEntry[] = [];
        for (const area of ['src', 'scratch'] as const) {
          const entries = await readdir(join(root, area), { recursive: true, withFileTypes: true });
          for (const e of entries) {
            if (!e.isFile()) continue;
            const path = relative(root, join(e.parentPath, e.name));
            if (path.split('/').some((part) => part.startsWith('.'))) continue;
            const s = await stat(join(root, path)).catch(() => null);
            if (s !== null) files.push({ path, bytes: s.size });
          }
        }
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        return { files: files.slice(0, limit), total: files.length };
      });
    },

    readFile(userId, path, policy, maxBytes) {
      const p = folderPath('path', path, ['src', 'scratch']);
      return locked(userId, async () => {
        const root = await openFolder(userId, policy);
        const real = await realInside(root, p.area, p, 'path');
        const fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          const s = await fh.stat();
          if (!s.isFile()) invalidArgument('path', `${p.path} is not a file`);
          const want = Math.min(s.size, maxBytes ?? s.size);
          const data = Buffer.alloc(want);
          let got = 0;
          while (got < want) {
            const { bytesRead } = await fh.read(data, got, want - got, got);
            if (bytesRead === 0) break;
            got += bytesRead;
          }
          return { data: data.subarray(0, got), size: s.size };
        } finally {
          await fh.close();
        }
      });
    },

    writeFile(userId, path, content, policy) {
      const p = folderPath('path', path, ['src']);
      return locked(userId, async () => {
        const root = await openFolder(userId, policy);
        await writeUnderSrc(root, p, content, 'path');
        const commit = await userGit(root, userId).commitSrc(`write ${p.path}`, now());
        return { path: p.path, commit };
      });
    },

    history(userId, policy, limit) {
      return locked(userId, async () => userGit(await openFolder(userId, policy), userId).log(limit));
    },

    sweep,

    startSweeper(everyMs) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void sweep()
          .catch(() => undefined)
          .finally(() => {
            running = false;
          });
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };

  async function sweep(): Promise<string[]> {
    const gone: string[] = [];
    const users = await readdir(researchDir, { withFileTypes: true }).catch(() => []);
    for (const e of users) {
      if (!e.isDirectory()) continue;
      const userId = e.name;
      await locked(userId, async () => {
        const root = join(researchDir, userId);
        const marker = parseMarker(await readFile(join(root, MARKER), 'utf8').catch(() => ''));
        if (marker === null || marker.persistent || now() - marker.lastUsedMs < idleMs) return;
        await rm(root, { recursive: true, force: true });
        gone.push(userId);
      });
    }
    return gone.sort();
  }
}
