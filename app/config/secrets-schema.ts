/**
 * `secrets.yaml` (a Kubernetes Secret): credentials only, kept apart from `config.yaml` so
 * the config can be shown, diffed and committed. A missing secret switches its feature off.
 */
import { z } from 'zod';

const telegramSecretsSchema = z
  .strictObject({
    botToken: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a Bot API token like 123456789:AA... (from @BotFather)')
      .optional()
      .describe('Telegram Bot API token; the bot runs only when it is set.'),
  })
  .describe('Telegram credentials.');

const anthropicSecretsSchema = z
  .strictObject({
    apiKey: z
      .string()
      .min(1, 'expected a non-empty API key')
      .optional()
      .describe('Anthropic API key; the agents run only when it is set.'),
  })
  .describe('Anthropic credentials.');

const saslSchema = z
  .strictObject({
    mechanism: z
      .enum(['plain', 'scram-sha-256', 'scram-sha-512'])
      .describe('SASL mechanism the brokers expect.'),
    username: z.string().min(1).describe('SASL user name.'),
    password: z.string().min(1).describe('SASL password.'),
  })
  .describe('SASL authentication to Kafka; absent means none.');

const kafkaSecretsSchema = z
  .strictObject({
    sasl: saslSchema.optional(),
  })
  .describe('Kafka credentials.');

const mcpTokenSchema = z
  .strictObject({
    userId: z.string().min(1).describe('User the token acts as.'),
    workspaceIds: z
      .array(z.string().min(1))
      .default([])
      .describe('Workspaces the token may use (empty: the user default workspace only).'),
    licence: z
      .string()
      .min(1)
      .optional()
      .describe('Licence tier of config licences.tiers the token acts under (default standard).'),
  })
  .describe('What a bearer token grants.');

const mcpSecretsSchema = z
  .strictObject({
    tokens: z
      .record(z.string().min(16, 'expected a bearer token of at least 16 characters'), mcpTokenSchema)
      .default({})
      .describe('Bearer tokens accepted by the MCP HTTP endpoint, token -> grant.'),
  })
  .describe('MCP HTTP credentials.');

const gatewaySecretsSchema = z
  .strictObject({
    sessionSecret: z
      .string()
      .min(32, 'expected a session secret of at least 32 characters')
      .optional()
      .describe(
        'Key signing web session cookies (HS256); when unset, one is generated once into <dataDir>/_gateway/credentials.json.',
      ),
  })
  .describe('Gateway credentials.');

/** `secrets.yaml`. Unknown keys are errors. */
export const secretsSchema = z.strictObject({
  telegram: telegramSecretsSchema.prefault({}),
  anthropic: anthropicSecretsSchema.prefault({}),
  kafka: kafkaSecretsSchema.prefault({}),
  mcp: mcpSecretsSchema.prefault({}),
  gateway: gatewaySecretsSchema.prefault({}),
});

/** The parsed `secrets.yaml` (before freezing). */
export type SecretsShape = z.output<typeof secretsSchema>;
