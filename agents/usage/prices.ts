/**
 * What a model call costs, from a price table given as config-like input: model id (as the server
 * reports it in the response) -> USD per million tokens. Cache prices default to Anthropic's
 * ratios: reads 0.1 x input, writes 1.25 x input (5-minute cache).
 */
import { z } from 'zod';

/** Prices of one model, USD per million tokens. */
export const modelPriceSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative().describe('USD per million uncached input tokens.'),
  outputPerMTok: z.number().nonnegative().describe('USD per million output tokens.'),
  cacheReadPerMTok: z
    .number()
    .nonnegative()
    .optional()
    .describe('USD per million cache-read input tokens (default 0.1 × input).'),
  cacheWritePerMTok: z
    .number()
    .nonnegative()
    .optional()
    .describe('USD per million cache-write input tokens (default 1.25 × input).'),
});
/** The price table: model id -> prices. */
export const modelPricesSchema = z.record(z.string().min(1), modelPriceSchema);
export type ModelPrices = z.output<typeof modelPricesSchema>;

/** Tokens of one model call, as the server reported them (`usage` of the Messages API). */
export interface TokenUsage {
  /** Uncached input tokens (`input_tokens`). */
  readonly input: number;
  readonly output: number;
  /** `cache_read_input_tokens`. */
  readonly cacheRead: number;
  /** `cache_creation_input_tokens`. */
  readonly cacheWrite: number;
}

/**
 * Tokens a call counts against the daily budget: every token the model processed or produced
 * (input + output + cache reads + cache writes), the plain sum of what the server reported.
 */
export function budgetTokens(usage: TokenUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

/** Cost in USD, or null when the table has no price for `model`. */
export function costOf(prices: ModelPrices, model: string, usage: TokenUsage): number | null {
  const price = prices[model];
  if (price === undefined) return null;
  const cacheRead = price.cacheReadPerMTok ?? price.inputPerMTok * 0.1;
  const cacheWrite = price.cacheWritePerMTok ?? price.inputPerMTok * 1.25;
  const micro =
    usage.input * price.inputPerMTok +
    usage.output * price.outputPerMTok +
    usage.cacheRead * cacheRead +
    usage.cacheWrite * cacheWrite;
  return micro / 1_000_000;
}
