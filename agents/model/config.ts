/**
 * Options of the model client. The app composes them from config (`agents.anthropic.baseUrl`)
 * and secrets (`anthropic.apiKey`); checked when the client is built.
 */
import { z } from 'zod';

export const modelClientOptionsSchema = z.strictObject({
  baseUrl: z.url().describe('Messages API base URL, e.g. https://api.anthropic.com or a local server.'),
  apiKey: z.string().min(1).describe('API key (secrets.yaml anthropic.apiKey).'),
  maxAttemptsPerModel: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('Attempts per model before the next.'),
  baseDelayMs: z.number().int().min(0).default(500).describe('First backoff; doubles per attempt, jittered.'),
  maxDelayMs: z.number().int().min(0).default(8_000).describe('Backoff cap.'),
  maxRetryAfterMs: z.number().int().min(0).default(60_000).describe('Longest retry-after honoured.'),
  timeoutMs: z
    .number()
    .int()
    .positive()
    .default(600_000)
    .describe('One HTTP attempt times out after this (a timeout is retried).'),
});

/** Options as given (defaults not yet applied). */
export type ModelClientOptionsInput = z.input<typeof modelClientOptionsSchema>;
export type ModelClientOptions = z.output<typeof modelClientOptionsSchema>;
