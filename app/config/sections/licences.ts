import { z } from 'zod';

/** What one tier's research sandbox runs may use (the research server's run limits, and pip). */
export const researchFeaturesSchema = z
  .strictObject({
    wallSeconds: z
      .int()
      .min(1)
      .default(30)
      .describe(
        'Wall time of one research run (run_python, pip_install), seconds; killed past it, output so far kept.',
      ),
    cpuSeconds: z.int().min(1).default(60).describe('CPU time of one research run, seconds (RLIMIT_CPU).'),
    memoryMb: z
      .int()
      .min(64)
      .default(4096)
      .describe('Address space of each process of a research run, MiB (RLIMIT_AS).'),
    maxProcesses: z
      .int()
      .min(8)
      .default(128)
      .describe('Processes and threads a research run may have at once (RLIMIT_NPROC; stops fork bombs).'),
    maxFileMb: z
      .int()
      .min(1)
      .default(256)
      .describe('Largest file a research run may write, MiB (RLIMIT_FSIZE).'),
    pip: z
      .boolean()
      .default(false)
      .describe(
        'Whether users of this tier may pip install packages into their research folder (the pip_install tool reaches pypi.org and files.pythonhosted.org only).',
      ),
  })
  .describe("A tier's research sandbox: run limits and pip.");

/** The research features of a tier that names none. */
export type ResearchFeatures = z.output<typeof researchFeaturesSchema>;

/**
 * One licence tier's features. The gateway's licence manager (rate limit, and the featureset on
 * every request) and the agents (daily budget, which souls) read the same entry.
 */
const featuresSchema = z
  .strictObject({
    rateLimitPerMinute: z
      .int()
      .min(1)
      .default(600)
      .describe('Requests a user of this tier may make per minute through the gateway (/api, /files).'),
    dailyTokens: z
      .int()
      .min(0)
      .describe(
        'Model tokens (input + output, cached included) a user of this tier may spend per UTC day across all agents; 0 allows none.',
      ),
    souls: z
      .array(z.string().min(1))
      .min(1)
      .default(['*'])
      .describe(
        'Souls (agents) this tier may talk to, by name; ["*"] for all (a soul file can narrow it with "tiers").',
      ),
    chatLogRetentionDays: z.int().min(0).default(30).describe('Days the chat logs of this tier are kept.'),
    researchPersistent: z
      .boolean()
      .default(true)
      .describe(
        'Whether the research folder survives idle time and restarts; false: deleted once its session is idle past research.idleMinutes.',
      ),
    research: researchFeaturesSchema.prefault({}),
    alerts: z
      .int()
      .min(0)
      .default(10)
      .describe(
        'Alert rules a user of this tier may hold at once (create_alert, Telegram /alerts, the web page); 0 allows none.',
      ),
  })
  .describe('One licence tier.');

const TIER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Default tiers: `local` is a user on their own machine (stdio, and the owner of a self-hosted
 * install), `standard` the default of an MCP bearer token (secrets.yaml `mcp.tokens.<token>.licence`).
 */
const DEFAULT_TIERS: Record<string, z.output<typeof featuresSchema>> = {
  local: {
    rateLimitPerMinute: 6000,
    dailyTokens: 5_000_000,
    souls: ['*'],
    chatLogRetentionDays: 365,
    researchPersistent: true,
    research: {
      wallSeconds: 120,
      cpuSeconds: 120,
      memoryMb: 8192,
      maxProcesses: 256,
      maxFileMb: 1024,
      pip: true,
    },
    alerts: 100,
  },
  standard: {
    rateLimitPerMinute: 600,
    dailyTokens: 200_000,
    souls: ['*'],
    chatLogRetentionDays: 30,
    researchPersistent: false,
    research: {
      wallSeconds: 30,
      cpuSeconds: 30,
      memoryMb: 2048,
      maxProcesses: 64,
      maxFileMb: 128,
      pip: false,
    },
    alerts: 10,
  },
  pro: {
    rateLimitPerMinute: 3000,
    dailyTokens: 2_000_000,
    souls: ['*'],
    chatLogRetentionDays: 365,
    researchPersistent: true,
    research: {
      wallSeconds: 120,
      cpuSeconds: 120,
      memoryMb: 8192,
      maxProcesses: 256,
      maxFileMb: 1024,
      pip: true,
    },
    alerts: 50,
  },
};

/** The `licences` section: the one place licence tiers are defined. */
export const licencesConfigSchema = z
  .strictObject({
    tiers: z
      .record(
        z.string().regex(TIER_NAME, 'expected a tier name of lowercase letters, digits and -'),
        featuresSchema,
      )
      .default(() => structuredClone(DEFAULT_TIERS))
      .refine((tiers) => Object.keys(tiers).length > 0, { message: 'expected at least one licence tier' })
      .describe(
        'Licence tiers by name → features (rate limit, daily token budget, souls, chat-log retention, research persistence, limits and pip, alert rules); the gateway and the agents both read them, soul files name them under "tiers".',
      ),
    ownerTier: z
      .string()
      .regex(TIER_NAME, 'expected a tier name')
      .default('local')
      .describe(
        'Tier of the install owner: the generated owner MCP token and the login link printed at start.',
      ),
  })
  .refine((l) => Object.hasOwn(l.tiers, l.ownerTier), {
    message: 'ownerTier must name one of licences.tiers',
    path: ['ownerTier'],
  })
  .describe('Licence tiers and their features.');

export type LicencesConfig = z.infer<typeof licencesConfigSchema>;

/** One tier's features as config gives them. */
export type TierFeatures = LicencesConfig['tiers'][string];

/**
 * The tiers without their research part, the featureset the gateway's licence manager takes
 * (the research server reads the rest through `policyOf`).
 */
export function gatewayTiers(tiers: LicencesConfig['tiers']): Record<string, Omit<TierFeatures, 'research'>> {
  return Object.fromEntries(Object.entries(tiers).map(([name, { research: _, ...rest }]) => [name, rest]));
}

/** Most alert rules per user of each tier, for the MCP services (`alertLimits`). */
export function alertLimitsOf(licences: LicencesConfig): Record<string, number> {
  return Object.fromEntries(Object.entries(licences.tiers).map(([tier, f]) => [tier, f.alerts]));
}
