import { z } from 'zod';
import { modelPricesSchema } from '../../../agents/usage/index.ts';
import { httpUrlSchema } from './net.ts';

const anthropicSchema = z
  .strictObject({
    baseUrl: httpUrlSchema
      .default('https://api.anthropic.com')
      .describe(
        'Messages API base URL: any server speaking the Anthropic Messages API; tests point it at a local server with scripted turns.',
      ),
  })
  .describe('Anthropic Messages API.');

/** Model keys a soul names (`model`, `fallbackModels`) → model ids; `default` is required. */
const DEFAULT_MODELS = {
  default: 'claude-sonnet-5-5',
  fast: 'claude-haiku-5-5',
  deep: 'claude-opus-5-5',
} as const;

const modelsSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a key of lowercase letters, digits and -'),
    z.string().min(1),
  )
  .default({ ...DEFAULT_MODELS })
  .refine((models) => Object.hasOwn(models, 'default'), {
    message: 'expected a "default" key (the model of souls that name none)',
  })
  .describe(
    'Model keys → model ids. Soul files name keys (model, fallbackModels), so swapping a model is one line here; "default" serves souls that name none.',
  );

const tierSchema = z
  .strictObject({
    dailyTokens: z
      .int()
      .min(1)
      .describe(
        'Tokens (input + output, cached included) a user of this tier may spend per UTC day across all agents.',
      ),
  })
  .describe('One licence tier.');

/**
 * Licence tiers the agents serve (`tiers` of a soul file names them). `local` is a user on
 * their own machine (stdio), `standard` the default of an MCP bearer token (secrets.yaml
 * `mcp.tokens.<token>.licence`).
 */
const DEFAULT_TIERS = {
  local: { dailyTokens: 5_000_000 },
  standard: { dailyTokens: 200_000 },
  pro: { dailyTokens: 2_000_000 },
} as const;

const tiersSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a tier name of lowercase letters, digits and -'),
    tierSchema,
  )
  .default(structuredClone(DEFAULT_TIERS))
  .refine((tiers) => Object.keys(tiers).length > 0, { message: 'expected at least one licence tier' })
  .describe(
    'Licence tiers by name, with each one\'s daily token budget; soul files name them under "tiers".',
  );

/** The `agents` section. The API key is a secret (`secrets.yaml` `anthropic.apiKey`). */
export const agentsConfigSchema = z
  .strictObject({
    anthropic: anthropicSchema.prefault({}),
    models: modelsSchema,
    soulsDir: z
      .string()
      .min(1)
      .default('souls')
      .describe(
        'Folder of the soul files (<name>.md) and their knowledge (knowledge/<namespace>/), relative to this checkout.',
      ),
    tiers: tiersSchema,
    prices: modelPricesSchema
      .default({})
      .describe(
        'USD per million tokens by model id ({inputPerMTok, outputPerMTok, cacheReadPerMTok?, cacheWritePerMTok?}) for the usage ledger; a model without a price is recorded with no cost.',
      ),
    history: z
      .strictObject({
        compactAtTokens: z
          .number()
          .int()
          .min(200)
          .default(24_000)
          .describe('Estimated tokens of history past which older turns are summarized (kept facts stay).'),
      })
      .prefault({})
      .describe('Conversation history per user and workspace.'),
    notesMaxBytes: z
      .number()
      .int()
      .min(256)
      .default(8192)
      .describe("Cap of a user's notes; the notes tool refuses what would pass it, saying what to remove."),
  })
  .describe('Agent runtime; it runs only when secrets.yaml has anthropic.apiKey.');

export type AgentsConfig = z.infer<typeof agentsConfigSchema>;
