/**
 * Builds a request's `system`, `tools` and `messages` for prompt caching.
 *
 * The API renders a prompt as tools → system → messages, and caches the prefix up to a block
 * marked `cache_control`. So the stable part, the tool definitions (sorted by name, so MCP
 * discovery order cannot bust the cache) and then the persona (`system[0]`), ends with the ONE
 * breakpoint, on the persona block. Everything that changes per request (user, workspace,
 * channel, current UTC time, the workspace brief) is `system[1]`, after the breakpoint, with no
 * `cache_control`.
 *
 * Why a second system block rather than the head of the latest user message:
 * - it speaks with the operator's voice: a user cannot forge it by typing look-alike text, and
 *   the model does not read it as something the user said;
 * - history stays what was said: no stale timestamps or briefs are stored in it or compacted;
 * - it has one place in every request of a tool loop, where the latest user message is a
 *   tool_result, not the user's words.
 * The cost: history after it is not cached across turns (its time changes); within a turn the
 * block is identical, so a later second breakpoint on the history would still hit.
 */
import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { InvalidInputError } from '../../core/errors.ts';
import type { RequestContext } from '../../mcp-servers/common/context.ts';
import type { ModelToolDefinition, SystemBlock } from './types.ts';

/** What changes per request; rendered after the cache breakpoint. */
export interface PerRequestContext {
  readonly context: RequestContext;
  /** The request's time, stated to the model in UTC. */
  readonly now: Date;
  /** The workspace as the agent should know it (symbol, period, indicators, drawings…). */
  readonly workspaceBrief: string;
  /** The conversation's summary and the facts the user asked to keep (agents/memory `renderMemory`). */
  readonly memory?: string;
}

/** Inputs of {@link buildCachedPrompt}. */
export interface CachedPromptInput {
  /** The soul's persona (Markdown body). */
  readonly persona: string;
  /** The soul's allowed tools, any order. */
  readonly tools: readonly ModelToolDefinition[];
  readonly perRequest: PerRequestContext;
  /** Earlier turns (or their compacted summary), oldest first. */
  readonly history: readonly MessageParam[];
  /** The user's new message. */
  readonly userMessage: string | readonly ContentBlockParam[];
}

/** The prompt parts of a `ModelRequest`. */
export interface CachedPrompt {
  readonly system: SystemBlock[];
  readonly tools: ModelToolDefinition[];
  readonly messages: MessageParam[];
}

const BREAKPOINT = { type: 'ephemeral' } as const;

/** Builds the prompt with one cache breakpoint after the stable prefix (see the module doc). */
export function buildCachedPrompt(input: CachedPromptInput): CachedPrompt {
  if (input.persona.trim() === '')
    throw new InvalidInputError('persona', 'is empty; a soul needs a persona text');
  const tools = input.tools
    .map(withoutCacheControl)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const system: SystemBlock[] = [
    { type: 'text', text: input.persona, cache_control: BREAKPOINT },
    { type: 'text', text: renderPerRequest(input.perRequest) },
  ];
  const messages: MessageParam[] = input.history.map(withoutMessageCacheControl);
  messages.push({
    role: 'user',
    content:
      typeof input.userMessage === 'string' ? input.userMessage : input.userMessage.map(withoutCacheControl),
  });
  return { system, tools, messages };
}

/** The per-request text: who, where, when, and the workspace brief. */
export function renderPerRequest(perRequest: PerRequestContext): string {
  const { context, now, workspaceBrief } = perRequest;
  return [
    '<request_context>',
    `user_id: ${context.userId}`,
    `workspace_id: ${context.workspaceId}`,
    `channel: ${context.channel}`,
    `current_time_utc: ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    '</request_context>',
    '<workspace_brief>',
    workspaceBrief.trim() === '' ? '(empty workspace)' : workspaceBrief.trim(),
    '</workspace_brief>',
    ...(perRequest.memory?.trim() ? ['<memory>', perRequest.memory.trim(), '</memory>'] : []),
  ].join('\n');
}

/** A tool's result as the model receives it: text and image blocks unchanged, `is_error` kept. */
export interface ToolResultInput {
  readonly content: readonly (TextBlockParam | ImageBlockParam)[];
  readonly isError: boolean;
}

/** The `tool_result` block answering tool_use `toolUseId`. */
export function toToolResultBlock(toolUseId: string, result: ToolResultInput): ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: toolUseId,
    content: result.content.map(withoutCacheControl),
    ...(result.isError ? { is_error: true } : {}),
  };
}

/** The block itself when unmarked (no copy), else a copy without `cache_control`. */
function withoutCacheControl<T extends object>(block: T): T {
  if (!('cache_control' in block) || block.cache_control === undefined) return block;
  const { cache_control: _dropped, ...rest } = block;
  return rest as T;
}

/** Stored history must not add breakpoints of its own: the request has exactly one. */
function withoutMessageCacheControl(message: MessageParam): MessageParam {
  if (typeof message.content === 'string') return message;
  if (!message.content.some((b) => 'cache_control' in b && b.cache_control !== undefined)) return message;
  const content: ContentBlockParam[] = message.content.map((b: ContentBlockParam) => withoutCacheControl(b));
  return { ...message, content } as MessageParam;
}
