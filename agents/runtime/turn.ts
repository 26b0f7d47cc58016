/**
 * One agent turn: the streaming tool loop. The model answers; each tool_use it asks for is
 * called through the turn's tools (our MCP servers, delegation, notes, knowledge), the results
 * go back faithfully (text, images, errors), and the loop ends when the model stops asking or a
 * limit of the soul is reached (tool rounds, output tokens, wall time). Cancelling the signal
 * stops the turn at once, inside a model call or a tool call.
 *
 * Pure orchestration over injected parts: the model client, the tools and the clock. The
 * request context comes from the channel and is fixed for the turn; no tool argument can
 * change whose data a tool reads (the tools are built for that context).
 */
import type { ImageBlockParam, MessageParam, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import {
  buildCachedPrompt,
  type ModelClient,
  type ModelResponse,
  type ModelStreamEvent,
  type ModelToolDefinition,
  type ModelUsage,
  type ToolResultInput,
  TurnCancelledError,
  toToolResultBlock,
} from '../model/index.ts';

/** The tools one turn may call, already bound to the turn's request context. */
export interface TurnTools {
  /** Definitions the model sees (the soul's allow-list, nothing else). */
  list(): Promise<readonly ModelToolDefinition[]>;
  /** Calls one tool; a failure is an `isError` result, never a throw (the model reads it). */
  call(name: string, input: unknown, signal?: AbortSignal): Promise<ToolResultInput>;
}

/** What of a soul a turn needs. */
export interface TurnSoul {
  readonly name: string;
  readonly persona: string;
  /** Model ids, primary first, then the fallbacks. */
  readonly models: readonly string[];
  readonly limits: {
    readonly toolRounds: number;
    readonly outputTokens: number;
    readonly wallTimeMs: number;
  };
  readonly thinking?: { readonly budgetTokens: number };
}

/** Progress of a turn, for the channel: text as it streams, tool calls, retries. */
export type TurnEvent =
  | ModelStreamEvent
  | { readonly type: 'tool_call'; readonly name: string; readonly id: string }
  | {
      readonly type: 'tool_result';
      readonly name: string;
      readonly id: string;
      readonly isError: boolean;
      /** Images the tool returned (charts), for a channel that shows them as they come. */
      readonly images?: readonly ImageBlockParam[];
    };

/** One model call of a turn, for the usage ledger. */
export interface ModelCallRecord {
  readonly model: string;
  readonly usage: ModelUsage;
  readonly durationMs: number;
  /** Tools the model asked for in this call. */
  readonly tools: readonly string[];
}

/** Inputs of {@link runTurn}. */
export interface RunTurnInput {
  readonly soul: TurnSoul;
  readonly context: RequestContext;
  readonly workspaceBrief: string;
  /** Earlier turns (or their summary), oldest first. */
  readonly history: readonly MessageParam[];
  /** The conversation's summary and kept facts, sent after the cache breakpoint. */
  readonly memory?: string;
  readonly message: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TurnEvent) => void;
}

/** What a turn produced. */
export interface TurnResult {
  /** The final answer's text (what the channel shows). */
  readonly text: string;
  /** Images the tools returned during the turn (charts), for the channel to show. */
  readonly images: readonly ImageBlockParam[];
  /** The turn as messages to append to the history: the user's message, then each exchange. */
  readonly messages: readonly MessageParam[];
  readonly calls: readonly ModelCallRecord[];
  /** Why the loop stopped before the model finished, when it did. */
  readonly stoppedBy?: 'tool_rounds' | 'output_tokens';
}

/** Dependencies of {@link runTurn}. */
export interface TurnDeps {
  readonly model: ModelClient;
  readonly tools: TurnTools;
  /** Default: the system clock. */
  readonly now?: () => Date;
}

const textOf = (response: ModelResponse): string =>
  response.content
    .filter((b) => b.type === 'text')
    .map((b) => (b.type === 'text' ? b.text : ''))
    .join('');

/** Runs one turn of `input.soul` (see the module doc). */
export async function runTurn(deps: TurnDeps, input: RunTurnInput): Promise<TurnResult> {
  const { soul, context } = input;
  const now = deps.now ?? (() => new Date());
  // The soul's wall time bounds the whole turn, model calls and tool calls alike.
  const wall = AbortSignal.timeout(soul.limits.wallTimeMs);
  const signal = input.signal ? AbortSignal.any([input.signal, wall]) : wall;
  const tools = await deps.tools.list();
  // Built once: the same system blocks (time included) in every call of the turn keep the cache warm.
  const prompt = buildCachedPrompt({
    persona: soul.persona,
    tools,
    perRequest: {
      context,
      now: now(),
      workspaceBrief: input.workspaceBrief,
      ...(input.memory ? { memory: input.memory } : {}),
    },
    history: input.history,
    userMessage: input.message,
  });
  /** What the turn added after the user's message: assistant answers and tool results. */
  const exchanges: MessageParam[] = [];
  const images: ImageBlockParam[] = [];
  const calls: ModelCallRecord[] = [];
  let outputTokens = 0;
  const finish = (text: string, stoppedBy?: TurnResult['stoppedBy']): TurnResult => ({
    text,
    images,
    messages: [{ role: 'user', content: input.message }, ...exchanges],
    calls,
    ...(stoppedBy ? { stoppedBy } : {}),
  });

  for (let round = 0; ; round++) {
    const messages = [...prompt.messages, ...exchanges];
    const started = performance.now();
    let response: ModelResponse;
    try {
      response = await deps.model.stream(
        {
          models: soul.models,
          system: prompt.system,
          tools: prompt.tools,
          messages,
          maxTokens: soul.limits.outputTokens,
          ...(soul.thinking ? { thinking: soul.thinking } : {}),
        },
        { signal, ...(input.onEvent ? { onEvent: input.onEvent } : {}) },
      );
    } catch (error) {
      if (wall.aborted && !input.signal?.aborted && error instanceof TurnCancelledError)
        throw new TurnCancelledError(
          `the turn took longer than the soul's wall time (${soul.limits.wallTimeMs} ms) and was stopped`,
        );
      throw error;
    }
    const uses = response.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    calls.push({
      model: response.model,
      usage: response.usage,
      durationMs: performance.now() - started,
      tools: uses.map((u) => u.name),
    });
    outputTokens += response.usage.output;
    exchanges.push({ role: 'assistant', content: response.content as MessageParam['content'] });

    if (response.stopReason !== 'tool_use' || uses.length === 0) return finish(textOf(response));
    if (round + 1 >= soul.limits.toolRounds || outputTokens >= soul.limits.outputTokens) {
      const stoppedBy = round + 1 >= soul.limits.toolRounds ? 'tool_rounds' : 'output_tokens';
      // The tool_use blocks still get answers, so the history stays a valid conversation.
      exchanges.push({
        role: 'user',
        content: uses.map((u) =>
          toToolResultBlock(u.id, {
            content: [{ type: 'text', text: `not run: the turn reached its ${stoppedBy} limit` }],
            isError: true,
          }),
        ),
      });
      const text =
        `${textOf(response)}\n\n(I stopped here: this question needed more tool calls than one turn allows. Ask me to continue.)`.trim();
      return finish(text, stoppedBy);
    }
    const results = [];
    for (const use of uses) {
      input.onEvent?.({ type: 'tool_call', name: use.name, id: use.id });
      const result = await deps.tools.call(use.name, use.input, signal);
      if (signal.aborted) throw new TurnCancelledError('the turn was cancelled during a tool call');
      const returned = result.content.filter((block): block is ImageBlockParam => block.type === 'image');
      images.push(...returned);
      input.onEvent?.({
        type: 'tool_result',
        name: use.name,
        id: use.id,
        isError: result.isError,
        ...(returned.length > 0 ? { images: returned } : {}),
      });
      results.push(toToolResultBlock(use.id, result));
    }
    exchanges.push({ role: 'user', content: results });
  }
}
