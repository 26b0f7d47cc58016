/**
 * The Messages API client: streams one call through `@anthropic-ai/sdk`, forwarding events as
 * they arrive, with our retry policy (the SDK's retries are off, so attempts are counted once)
 * and the soul's fallback models.
 *
 * @example
 * const models = createModelClient({ sleep: timerSleep, random: Math.random, now: Date.now, logger },
 *   { baseUrl: config.agents.anthropic.baseUrl, apiKey: secrets.anthropic.apiKey });
 * const answer = await models.stream({ models: ['claude-sonnet-4-5', 'claude-haiku-4-5'], ...prompt,
 *   maxTokens: 2048 }, { signal, onEvent: (e) => e.type === 'text' && channel.write(e.text) });
 */
import { setTimeout as delay } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import { InvalidInputError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { type ModelClientOptionsInput, modelClientOptionsSchema } from './config.ts';
import { AllModelsFailedError, type ModelFailure, ModelRequestError, TurnCancelledError } from './errors.ts';
import { classifyFailure, type RetryPolicy, retryDelayMs } from './retry.ts';
import type {
  ModelClient,
  ModelRequest,
  ModelResponse,
  ModelStreamEvent,
  ModelStreamOptions,
  ModelUsage,
} from './types.ts';

/** What the client is handed. Tests pass a `sleep` that records and resolves at once. */
export interface ModelClientDeps {
  /** Waits `ms` (backoff, retry-after); may stop early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1), for backoff jitter. */
  readonly random: () => number;
  /** Epoch ms, for `retry-after` given as an HTTP date. */
  readonly now: () => number;
  /** Retries and fallbacks are logged at warn. */
  readonly logger?: Pick<Logger, 'warn'>;
}

/** The real `sleep`: a timer that is cleared when `signal` aborts. */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal === undefined ? undefined : { signal });
}

/** Builds the client; options are checked here (a bad one throws naming the key). */
export function createModelClient(deps: ModelClientDeps, options: ModelClientOptionsInput): ModelClient {
  const parsed = modelClientOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`model client ${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  const cfg = parsed.data;
  const policy: RetryPolicy = cfg;
  const anthropic = new Anthropic({
    apiKey: cfg.apiKey,
    baseURL: cfg.baseUrl,
    // Ours are the only retries: the SDK's would multiply the attempts and hide retry-after.
    maxRetries: 0,
    timeout: cfg.timeoutMs,
  });

  /** One HTTP attempt against one model. */
  async function attemptOnce(
    model: string,
    request: ModelRequest,
    options: ModelStreamOptions,
    guard: { listenerError?: unknown },
  ): Promise<ModelResponse> {
    const stream = anthropic.messages.stream(
      {
        model,
        max_tokens: request.maxTokens,
        system: [...request.system],
        tools: [...request.tools],
        messages: [...request.messages],
        ...(request.thinking
          ? { thinking: { type: 'enabled', budget_tokens: request.thinking.budgetTokens } }
          : {}),
      },
      options.signal === undefined ? {} : { signal: options.signal },
    );
    const onEvent = options.onEvent;
    if (onEvent !== undefined) {
      stream.on('streamEvent', function forwardModelEvent(event, snapshot) {
        try {
          forward(event, snapshot, model, onEvent);
        } catch (error) {
          // The listener's bug is not a model failure: stop, and rethrow it unretried.
          guard.listenerError ??= error;
          stream.abort();
        }
      });
    }
    const message = await stream.finalMessage();
    return {
      content: message.content,
      stopReason: message.stop_reason,
      usage: toModelUsage(message.usage),
      model,
      id: message.id,
    };
  }

  return {
    async stream(request, options = {}) {
      const { signal, onEvent } = options;
      if (request.models.length === 0)
        throw new InvalidInputError('request.models', 'name at least one model id (the soul model first)');
      const failures: ModelFailure[] = [];
      let lastError: unknown;
      for (const [index, model] of request.models.entries()) {
        let reason = '';
        let attempts = 0;
        for (let attempt = 1; attempt <= policy.maxAttemptsPerModel; attempt += 1) {
          if (signal?.aborted) throw new TurnCancelledError(signal.reason);
          attempts = attempt;
          const guard: { listenerError?: unknown } = {};
          try {
            return await attemptOnce(model, request, options, guard);
          } catch (error) {
            if (signal?.aborted) throw new TurnCancelledError(error);
            if (guard.listenerError !== undefined) throw guard.listenerError;
            const verdict = classifyFailure(error, deps.now());
            if (verdict.kind === 'unknown') throw error;
            if (verdict.kind === 'refused')
              throw new ModelRequestError(model, verdict.status, verdict.type, verdict.apiMessage, error);
            lastError = error;
            reason = verdict.reason;
            if (attempt === policy.maxAttemptsPerModel) break;
            const delayMs = retryDelayMs(verdict, attempt, policy, deps.random);
            deps.logger?.warn({ model, attempt, delayMs, reason }, 'model call failed; retrying');
            onEvent?.({ type: 'retry', model, attempt, delayMs, reason });
            await sleepUnlessCancelled(deps.sleep, delayMs, signal);
          }
        }
        failures.push({ model, attempts, reason });
        const next = request.models[index + 1];
        if (next !== undefined) {
          deps.logger?.warn({ model, next, attempts, reason }, 'model unavailable; falling back');
          onEvent?.({ type: 'fallback', from: model, to: next, reason });
        }
      }
      throw new AllModelsFailedError(failures, lastError);
    },
  };
}

/** Sleeps, but rejects with `TurnCancelledError` the moment `signal` aborts. */
async function sleepUnlessCancelled(
  sleep: ModelClientDeps['sleep'],
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (signal === undefined) return sleep(ms);
  if (signal.aborted) throw new TurnCancelledError(signal.reason);
  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(new TurnCancelledError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms, signal), cancelled]);
  } catch (error) {
    if (signal.aborted) throw new TurnCancelledError(error);
    throw error;
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** Turns one raw stream event into what `onEvent` sees. */
function forward(
  event: MessageStreamEvent,
  snapshot: Message,
  model: string,
  onEvent: (event: ModelStreamEvent) => void,
): void {
  switch (event.type) {
    case 'message_start':
    case 'message_delta':
      onEvent({ type: 'usage', model, usage: toModelUsage(snapshot.usage) });
      return;
    case 'content_block_start':
      if (event.content_block.type === 'tool_use')
        onEvent({
          type: 'tool_use',
          index: event.index,
          id: event.content_block.id,
          name: event.content_block.name,
        });
      return;
    case 'content_block_delta':
      if (event.delta.type === 'text_delta')
        onEvent({ type: 'text', index: event.index, text: event.delta.text });
      else if (event.delta.type === 'thinking_delta')
        onEvent({ type: 'thinking', index: event.index, thinking: event.delta.thinking });
      return;
    default:
      return;
  }
}

function toModelUsage(usage: Usage): ModelUsage {
  return {
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
  };
}
