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
