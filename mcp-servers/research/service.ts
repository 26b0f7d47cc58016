/**
 * The research service of one process: the sandbox, the per-user folders and the licence policy,
 * over a data dir. The caller (app/) maps licences to a {@link ResearchPolicy}; without one, every
 * licence but `free` keeps its folder.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestContext } from '../common/index.ts';
import { createPythonSandbox, type SandboxLimitsInput } from './sandbox/index.ts';
import { createResearchWorkspaces, type ResearchPolicy, type ResearchWorkspaces } from './workspace/index.ts';

/** The `qf` package's folder (mounted read-only into the sandbox). */
export const QF_PACKAGE_DIR = fileURLToPath(new URL('./python', import.meta.url));
/** Where deploy/python/setup.sh puts the venv by default: `<repo>/.venv-research`. */
export const DEFAULT_VENV_DIR = fileURLToPath(new URL('../../.venv-research', import.meta.url));

/** What the research server needs: the folders and who gets what. */
export interface ResearchService {
  readonly workspaces: ResearchWorkspaces;
  /** The policy (persistence, limits) of the caller, from their licence. */
  policyOf(context: RequestContext): ResearchPolicy;
  /** Stops the idle sweeper, when one runs. */
  close(): void;
}

/** Options of {@link openResearchService}; every field but `dataDir` has a default. */
export interface ResearchServiceOptions {
  /** The data dir: the store is read from it. */
  readonly dataDir: string;
  /** The user folders. Default `<dataDir>/research`. */
  readonly researchDir?: string;
  /** The Python venv (deploy/python/setup.sh). Default {@link DEFAULT_VENV_DIR}. */
  readonly venvDir?: string;
  /** bubblewrap binary. Default `bwrap` on PATH. */
  readonly bwrapPath?: string;
  /** Idle time after which a free folder is deleted. Default 30 minutes. */
  readonly idleMs?: number;
  /** How often the sweeper looks; 0 starts none. Default 60 s. */
  readonly sweepEveryMs?: number;
  /** Limits of a run when the policy names none. */
  readonly defaultLimits?: SandboxLimitsInput;
  /** Licence → policy. Default: persistent unless the licence is `free`, default limits. */
  readonly policyOf?: (context: RequestContext) => ResearchPolicy;
  /** Wall clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

/** Persistent for every licence but `free`. */
export function defaultResearchPolicy(context: RequestContext): ResearchPolicy {
  return { persistent: context.licence !== 'free' };
}

/** Builds the service; nothing touches the disk until a tool is called (or the sweeper runs). */
export function openResearchService(options: ResearchServiceOptions): ResearchService {
  const researchDir = options.researchDir ?? join(options.dataDir, 'research');
  const sandbox = createPythonSandbox({
    venvDir: options.venvDir ?? DEFAULT_VENV_DIR,
    qfPackageDir: QF_PACKAGE_DIR,
    dataDir: options.dataDir,
    researchDir,
    ...(options.bwrapPath === undefined ? {} : { bwrapPath: options.bwrapPath }),
    ...(options.defaultLimits === undefined ? {} : { defaultLimits: options.defaultLimits }),
  });
  const workspaces = createResearchWorkspaces({
    researchDir,
    sandbox,
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const everyMs = options.sweepEveryMs ?? 60_000;
  const stop = everyMs > 0 ? workspaces.startSweeper(everyMs) : () => undefined;
  return { workspaces, policyOf: options.policyOf ?? defaultResearchPolicy, close: stop };
}
