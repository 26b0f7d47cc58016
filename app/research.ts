/**
 * The research server's wiring from the configuration: the `research` section (folders, venv,
 * bwrap, idle time) and each licence tier's research features (persistence, run limits, pip) as
 * the policy of a request, and the check that the sandbox can run at all (venv and bwrap present).
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RequestContext } from '../mcp-servers/common/index.ts';
import {
  DEFAULT_VENV_DIR,
  type ResearchPolicy,
  type ResearchServiceOptions,
} from '../mcp-servers/research/index.ts';
import type { Config } from './config/index.ts';
import {
  type ResearchFeatures,
  researchFeaturesSchema,
  type TierFeatures,
} from './config/sections/licences.ts';

const MIB = 1024 ** 2;

/** The research features of a licence that names no tier: the schema's defaults (pip off). */
const UNKNOWN_TIER: ResearchFeatures = researchFeaturesSchema.parse({});

/** A tier's features → the research policy of its users. */
export function researchPolicyOfTier(tier: TierFeatures | undefined): ResearchPolicy {
  const r = tier?.research ?? UNKNOWN_TIER;
  return {
    // A licence config does not know keeps nothing.
    persistent: tier?.researchPersistent ?? false,
    pip: r.pip,
    limits: {
      wallMs: r.wallSeconds * 1000,
      cpuSeconds: r.cpuSeconds,
      memoryBytes: r.memoryMb * MIB,
      maxProcesses: r.maxProcesses,
      maxFileBytes: r.maxFileMb * MIB,
    },
  };
}

/** `licences.tiers` → the policy of each request, by its licence (computed once per tier). */
export function researchPolicyOf(
  tiers: Readonly<Record<string, TierFeatures>>,
): (context: RequestContext) => ResearchPolicy {
  const byTier = new Map(Object.entries(tiers).map(([name, t]) => [name, researchPolicyOfTier(t)]));
  const unknown = researchPolicyOfTier(undefined);
  return function policyOfLicence(context) {
    return byTier.get(context.licence) ?? unknown;
  };
}

/** The research options of openMcpServices from config (`dataDir` is the store's). */
export function researchOptions(config: Config): Omit<ResearchServiceOptions, 'dataDir'> {
  const r = config.research;
  return {
    ...(r.dir === undefined ? {} : { researchDir: resolve(r.dir) }),
    venvDir: resolveVenvDir(config),
    bwrapPath: r.bwrapPath,
    idleMs: r.idleMinutes * 60_000,
    sweepEveryMs: r.sweepSeconds * 1000,
    policyOf: researchPolicyOf(config.licences.tiers),
  };
}

function resolveVenvDir(config: Config): string {
  return config.research.venvDir === undefined ? DEFAULT_VENV_DIR : resolve(config.research.venvDir);
}

/** Whether the research server can run here, and if not what to do about it. */
export type ResearchReadiness =
  | { readonly ready: true; readonly venvDir: string }
  | { readonly ready: false; readonly reason: string };

function runs(file: string, args: readonly string[]): Promise<boolean> {
  return new Promise((done) => {
    execFile(file, args, { timeout: 10_000 }, (error) => done(error === null));
  });
}

/**
 * Checks the venv (its python runs) and bubblewrap (`--version` answers). Setting them up is not
 * done here: the venv is a few hundred MB from the package index and bwrap needs apt (root), too
 * slow or too privileged for a start.
 */
export async function checkResearch(config: Config): Promise<ResearchReadiness> {
  const venvDir = resolveVenvDir(config);
  const missing: string[] = [];
  const python = `${venvDir}/bin/python`;
  const hasVenv =
    (await access(`${venvDir}/pyvenv.cfg`, constants.R_OK).then(
      () => true,
      () => false,
    )) && (await runs(python, ['-c', 'import polars, duckdb']));
  if (!hasVenv)
    missing.push(
      `no working Python venv at ${venvDir}: create it with "bash deploy/python/setup.sh${config.research.venvDir === undefined ? '' : ` ${venvDir}`}" (needs python3 3.11+)`,
    );
  if (!(await runs(config.research.bwrapPath, ['--version'])))
    missing.push(
      `bubblewrap ("${config.research.bwrapPath}") does not run: install it with "bash deploy/sandbox/install.sh"`,
    );
  return missing.length === 0 ? { ready: true, venvDir } : { ready: false, reason: missing.join('; ') };
}
