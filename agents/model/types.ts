/**
 * The shapes the model client takes and gives. Content blocks are the Messages API's own
 * (`@anthropic-ai/sdk` types), so tool results, images and thinking pass through unchanged.
 */
import type {
  ContentBlock,
  MessageParam,
  StopReason,
  TextBlockParam,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';

export type { ContentBlock, MessageParam, StopReason };

/** A block of the `system` prompt (text, optionally a cache breakpoint). */
export type SystemBlock = TextBlockParam;

/** A tool definition as the model sees it: `{ name, description, input_schema }`. */
export type ModelToolDefinition = Tool;

/** One model call. Build `system`, `tools` and `messages` with `buildCachedPrompt`. */
export interface ModelRequest {
  /** Model ids to try in order: the soul's model first, then its fallbacks. Never empty. */
  readonly models: readonly string[];
  readonly system: readonly SystemBlock[];
  readonly tools: readonly ModelToolDefinition[];
  readonly messages: readonly MessageParam[];
  readonly maxTokens: number;
  /** Extended thinking with this budget (must be below `maxTokens`). */
  readonly thinking?: { readonly budgetTokens: number };
}

/** Tokens of one call, as the server reported them. */
export interface ModelUsage {
  /** Input tokens not read from or written to the cache. */
  readonly input: number;
  readonly output: number;
  /** Input tokens read from the prompt cache. */
  readonly cacheRead: number;
  /** Input tokens written to the prompt cache. */
  readonly cacheWrite: number;
}

/** The model's answer to one call. */
export interface ModelResponse {
  /** Text, tool_use and thinking blocks, in order; tool_use inputs are parsed JSON. */
  readonly content: readonly ContentBlock[];
  readonly stopReason: StopReason | null;
  readonly usage: ModelUsage;
  /** The model id (one of `request.models`) that answered. */
  readonly model: string;
  /** The API's message id. */
  readonly id: string;
}

/**
 * What `onEvent` sees while a call runs. A `retry` or `fallback` event means the partial output
 * seen so far is void: the next attempt starts over.
 */
export type ModelStreamEvent =
  | { readonly type: 'text'; readonly index: number; readonly text: string }
  | { readonly type: 'thinking'; readonly index: number; readonly thinking: string }
  /** A tool_use block started; its input arrives complete in the response. */
  | { readonly type: 'tool_use'; readonly index: number; readonly id: string; readonly name: string }
  /** Usage so far: at the start (input and cache counts) and at the end (with output). */
  | { readonly type: 'usage'; readonly model: string; readonly usage: ModelUsage }
  | {
      readonly type: 'retry';
      readonly model: string;
      /** The attempt that failed, from 1. */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: string;
    }
  | { readonly type: 'fallback'; readonly from: string; readonly to: string; readonly reason: string };

/** Per-call options of `ModelClient.stream`. */
export interface ModelStreamOptions {
  /** Aborting stops the stream at once and rejects with `TurnCancelledError`. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: ModelStreamEvent) => void;
}

/** The Messages API, with our retries and model fallback. One per deployment. */
export interface ModelClient {
  /**
   * Streams one call. Retries 429/529/5xx/connection failures with backoff (honouring
   * `retry-after`), then tries the next of `request.models`; rejects with
   * `AllModelsFailedError` when none answered, `ModelRequestError` when the API refused the
   * request (4xx other than 429), `TurnCancelledError` when `signal` aborted.
   */
  stream(request: ModelRequest, options?: ModelStreamOptions): Promise<ModelResponse>;
}
