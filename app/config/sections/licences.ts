import { z } from 'zod';

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
      .describe('Whether the research workspace survives between sessions.'),
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
    alerts: 100,
  },
  standard: {
    rateLimitPerMinute: 600,
    dailyTokens: 200_000,
    souls: ['*'],
    chatLogRetentionDays: 30,
    researchPersistent: false,
    alerts: 10,
  },
  pro: {
    rateLimitPerMinute: 3000,
    dailyTokens: 2_000_000,
    souls: ['*'],
    chatLogRetentionDays: 365,
    researchPersistent: true,
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
        'Licence tiers by name → features (rate limit, daily token budget, souls, chat-log retention, research persistence, alert rules); the gateway and the agents both read them, soul files name them under "tiers".',
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

/** Most alert rules per user of each tier, for the MCP services (`alertLimits`). */
export function alertLimitsOf(licences: LicencesConfig): Record<string, number> {
  return Object.fromEntries(Object.entries(licences.tiers).map(([tier, f]) => [tier, f.alerts]));
}
