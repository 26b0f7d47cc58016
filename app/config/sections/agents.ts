import { z } from 'zod';
import { httpUrlSchema } from './net.ts';

const anthropicSchema = z
  .strictObject({
    baseUrl: httpUrlSchema
      .default('https://api.anthropic.com')
      .describe('Messages API base URL; tests point it at a local server with scripted turns.'),
    model: z
      .string()
      .min(1)
      .default('claude-sonnet-4-5')
      .describe('Default model for agents whose soul file names none.'),
  })
  .describe('Anthropic Messages API.');

/** The `agents` section. The API key is a secret (`secrets.yaml` `anthropic.apiKey`). */
export const agentsConfigSchema = z
  .strictObject({
    anthropic: anthropicSchema.prefault({}),
  })
  .describe('Agent runtime; it runs only when secrets.yaml has anthropic.apiKey.');

export type AgentsConfig = z.infer<typeof agentsConfigSchema>;
