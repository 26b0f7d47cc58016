/**
 * The scripted replies of the Messages API test server and how they become what the API sends:
 * a message object (JSON) or its SSE events, in the API's order.
 */
import { randomUUID } from 'node:crypto';

/** A content block of a scripted answer. */
export type ScriptedBlock =
  /** Text; an array is sent as successive `text_delta`s (joined in the final message). */
  | { readonly type: 'text'; readonly text: string | readonly string[] }
  /** A tool call; its input is sent as `input_json_delta` chunks. */
  | { readonly type: 'tool_use'; readonly name: string; readonly input: unknown; readonly id?: string }
  | { readonly type: 'thinking'; readonly thinking: string; readonly signature?: string };

/** Token counts the answer reports; missing counts default (input 10, output 5, caches 0). */
export interface ScriptedUsage {
  readonly input_tokens?: number;
  readonly output_tokens?: number;
  readonly cache_read_input_tokens?: number;
  readonly cache_creation_input_tokens?: number;
}

/** A successful answer: sent as JSON, or as SSE when the request asked for `stream: true`. */
export interface ScriptedMessage {
  readonly kind?: 'message';
  readonly content: readonly ScriptedBlock[];
  /** Default `tool_use` when a block is a tool call, else `end_turn`. */
  readonly stopReason?: string;
  readonly usage?: ScriptedUsage;
  /** Default: the model the request named. */
  readonly model?: string;
  /**
   * Streaming only: after this many SSE events, keep the response open until the client goes
   * away (for cancellation tests); the rest is never sent.
   */
  readonly holdAfterEvents?: number;
  /** Streaming only: after this many SSE events, destroy the socket (a dropped connection). */
  readonly dropAfterEvents?: number;
  /**
   * Streaming only: after this many SSE events, send an `error` event of this type (the API
   * does so for overload mid-stream) and end the stream.
   */
  readonly streamErrorAfterEvents?: {
    readonly events: number;
    readonly type: string;
    readonly message?: string;
  };
}

/** An error answer in the API's shape: `{ type: 'error', error: { type, message } }`. */
export interface ScriptedError {
  readonly kind: 'error';
  readonly status: number;
  /** Default from the status: 429 `rate_limit_error`, 529 `overloaded_error`, 400 `invalid_request_error`… */
  readonly type?: string;
  readonly message?: string;
  /** Extra response headers, e.g. `{ 'retry-after': '2' }`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One scripted reply. Shorthands: `{ text }` and `{ toolUse }` build a one-block message. */
export type ScriptedReply =
  | ScriptedMessage
  | ScriptedError
  | { readonly kind?: 'message'; readonly text: string | readonly string[]; readonly usage?: ScriptedUsage }
  | {
      readonly kind?: 'message';
      readonly toolUse: { readonly name: string; readonly input: unknown; readonly id?: string };
      readonly text?: string;
      readonly usage?: ScriptedUsage;
    };

/** The full form of a reply (shorthands expanded). */
export function toScriptedMessage(reply: Exclude<ScriptedReply, ScriptedError>): ScriptedMessage {
  if ('content' in reply) return reply;
  if ('toolUse' in reply) {
    const content: ScriptedBlock[] = [];
    if (reply.text !== undefined) content.push({ type: 'text', text: reply.text });
    content.push({ type: 'tool_use', ...reply.toolUse });
    return { content, ...(reply.usage ? { usage: reply.usage } : {}) };
  }
  return { content: [{ type: 'text', text: reply.text }], ...(reply.usage ? { usage: reply.usage } : {}) };
}

interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

type WireBlock =
  | { type: 'text'; text: string; citations: null }
  | { type: 'tool_use'; id: string; name: string; input: unknown; caller: { type: 'direct' } }
  | { type: 'thinking'; thinking: string; signature: string };

export interface WireMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: WireBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: WireUsage;
}

/** The message object the API would answer with. */
export function toWireMessage(
  reply: Exclude<ScriptedReply, ScriptedError>,
  requestedModel: string,
): WireMessage {
  const scripted = toScriptedMessage(reply);
  const content = scripted.content.map((block): WireBlock => {
    if (block.type === 'text')
      return {
        type: 'text',
        text: typeof block.text === 'string' ? block.text : block.text.join(''),
        citations: null,
      };
    if (block.type === 'tool_use')
      return {
        type: 'tool_use',
        id: block.id ?? `toolu_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
        name: block.name,
        input: block.input,
        caller: { type: 'direct' },
      };
    return { type: 'thinking', thinking: block.thinking, signature: block.signature ?? 'sig' };
  });
  return {
    id: `msg_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    type: 'message',
    role: 'assistant',
    model: scripted.model ?? requestedModel,
    content,
    stop_reason:
      scripted.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: scripted.usage?.input_tokens ?? 10,
      output_tokens: scripted.usage?.output_tokens ?? 5,
      cache_read_input_tokens: scripted.usage?.cache_read_input_tokens ?? 0,
      cache_creation_input_tokens: scripted.usage?.cache_creation_input_tokens ?? 0,
    },
  };
}

/** The SSE events of a message, in the API's order. */
export function streamEvents(
  message: WireMessage,
  scripted: ScriptedMessage,
): Array<{ event: string; data: unknown }> {
  const events: Array<{ event: string; data: unknown }> = [];
  const push = (event: string, data: Record<string, unknown>): void => {
    events.push({ event, data: { type: event, ...data } });
  };
  push('message_start', {
    message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
  });
  events.push({ event: 'ping', data: { type: 'ping' } });
  message.content.forEach((block, index) => {
    const source = scripted.content[index];
    if (block.type === 'text') {
      push('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
      const parts = source?.type === 'text' && typeof source.text !== 'string' ? source.text : [block.text];
      for (const text of parts) push('content_block_delta', { index, delta: { type: 'text_delta', text } });
    } else if (block.type === 'tool_use') {
      push('content_block_start', { index, content_block: { ...block, input: {} } });
      // Two chunks, split mid-JSON, as the API does.
      const json = JSON.stringify(block.input ?? {});
      const cut = Math.floor(json.length / 2);
      for (const partial_json of [json.slice(0, cut), json.slice(cut)])
        push('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } });
    } else {
      push('content_block_start', {
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      });
      push('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: block.thinking } });
      push('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    }
    push('content_block_stop', { index });
  });
  push('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: message.usage,
  });
  push('message_stop', {});
  return events;
}
