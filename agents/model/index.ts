/**
 * The Messages API client of the agent runtime: streaming with events, retries with backoff
 * and `retry-after`, the soul's fallback models, cancellation; and the cached prompt layout.
 */
export { createModelClient, type ModelClientDeps, timerSleep } from './client.ts';
export { type ModelClientOptions, type ModelClientOptionsInput, modelClientOptionsSchema } from './config.ts';
export {
  AllModelsFailedError,
  MODELS_UNAVAILABLE_MESSAGE,
  ModelError,
  type ModelFailure,
  ModelRequestError,
  TurnCancelledError,
} from './errors.ts';
export {
  buildCachedPrompt,
  type CachedPrompt,
  type CachedPromptInput,
  type PerRequestContext,
  renderPerRequest,
  type ToolResultInput,
  toToolResultBlock,
} from './prompt.ts';
export { backoffDelayMs, classifyFailure, parseRetryAfter, type RetryPolicy } from './retry.ts';
export type {
  ContentBlock,
  MessageParam,
  ModelClient,
  ModelRequest,
  ModelResponse,
  ModelStreamEvent,
  ModelStreamOptions,
  ModelToolDefinition,
  ModelUsage,
  StopReason,
  SystemBlock,
} from './types.ts';
