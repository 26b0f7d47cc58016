/**
 * The chat panel's state as a pure reducer over what happens: the hello (is chat available?), the
 * user's messages, the server's `chat.*` stream and the connection dropping. Items are immutable:
 * an update makes a new object only for the item it changes, so the panel re-renders just that one.
 */
import type { ChatMessage } from '../ws/protocol.ts';

export type ToolState = 'running' | 'done' | 'error';

/** A piece of an answer, in the order it arrived. */
export type AnswerPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'tool'; readonly name: string; readonly state: ToolState }
  | { readonly kind: 'image'; readonly url: string; readonly mediaType: string };

export type ChatItem =
  | { readonly kind: 'user'; readonly id: number; readonly text: string }
  | {
      readonly kind: 'answer';
      readonly id: number;
      readonly turn: string;
      readonly soul: string;
      readonly parts: readonly AnswerPart[];
      /** `streaming` until chat.done / chat.error / the connection drops. */
      readonly status: 'streaming' | 'done' | 'error' | 'interrupted';
      readonly error?: string;
    }
  | { readonly kind: 'notice'; readonly id: number; readonly text: string };

export interface ChatState {
  /** Whether the server offers chat (from hello); undefined until it has said. */
  readonly available?: boolean;
  /** Why chat is off, from hello's chatWhy. */
  readonly unavailableWhy?: string;
  readonly items: readonly ChatItem[];
  /** A message was sent and its answer has not ended. */
  readonly busy: boolean;
  /** Next item id (ids key the rendered elements). */
  readonly nextId: number;
}

export type ChatEvent =
  | { readonly type: 'hello'; readonly chat: boolean; readonly chatWhy?: string }
  | { readonly type: 'sent'; readonly text: string }
  | { readonly type: 'disconnected' }
  | ChatMessage;

export const initialChatState: ChatState = { items: [], busy: false, nextId: 1 };

/** The index of the answer item of `turn`, searching from the end (the live turn is last). */
function answerIndex(items: readonly ChatItem[], turn: string): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.kind === 'answer' && item.turn === turn) return i;
  }
  return -1;
}

/** `state` with the answer of `turn` replaced by `change(answer)`; creates the answer when a message arrives before chat.start. */
function withAnswer(
  state: ChatState,
  turn: string,
  change: (answer: Extract<ChatItem, { kind: 'answer' }>) => Extract<ChatItem, { kind: 'answer' }>,
): ChatState {
  let items = state.items;
  let nextId = state.nextId;
  let index = answerIndex(items, turn);
  if (index < 0) {
    items = [...items, { kind: 'answer', id: nextId++, turn, soul: '', parts: [], status: 'streaming' }];
    index = items.length - 1;
  }
  const updated = change(items[index] as Extract<ChatItem, { kind: 'answer' }>);
  const copy = items === state.items ? [...items] : (items as ChatItem[]);
  copy[index] = updated;
  return { ...state, items: copy, nextId };
}

function notice(state: ChatState, text: string): ChatState {
  return {
    ...state,
    items: [...state.items, { kind: 'notice', id: state.nextId, text }],
    nextId: state.nextId + 1,
  };
}

function appendText(parts: readonly AnswerPart[], text: string): AnswerPart[] {
  const last = parts[parts.length - 1];
  if (last?.kind === 'text') return [...parts.slice(0, -1), { kind: 'text', text: last.text + text }];
  return [...parts, { kind: 'text', text }];
}

/** The tool line a `chat.tool` message updates: the latest running call of that name, or a new line. */
function updateTool(parts: readonly AnswerPart[], name: string, state: ToolState): AnswerPart[] {
  if (state !== 'running') {
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i]!;
      if (p.kind === 'tool' && p.name === name && p.state === 'running') {
        const copy = [...parts];
        copy[i] = { kind: 'tool', name, state };
        return copy;
      }
    }
  }
  return [...parts, { kind: 'tool', name, state }];
}

export function reduceChat(state: ChatState, event: ChatEvent): ChatState {
  switch (event.type) {
    case 'hello':
      return event.chat
        ? { ...state, available: true, unavailableWhy: undefined }
        : {
            ...state,
            available: false,
            unavailableWhy: event.chatWhy ?? 'chat is not configured on this server',
          };
    case 'sent':
      return {
        ...state,
        busy: true,
        items: [...state.items, { kind: 'user', id: state.nextId, text: event.text }],
        nextId: state.nextId + 1,
      };
    case 'disconnected': {
      // A turn cannot finish on a connection that is gone: say so instead of spinning forever.
      const streaming = state.items.some((i) => i.kind === 'answer' && i.status === 'streaming');
      if (!streaming && !state.busy) return state;
      const items = state.items.map((i) =>
        i.kind === 'answer' && i.status === 'streaming' ? { ...i, status: 'interrupted' as const } : i,
      );
      return notice({ ...state, items, busy: false }, 'Connection lost; the answer was interrupted.');
    }
    case 'chat.start':
      return withAnswer(state, event.turn, (a) => ({ ...a, soul: event.soul }));
    case 'chat.delta':
      return withAnswer(state, event.turn, (a) => ({ ...a, parts: appendText(a.parts, event.text) }));
    case 'chat.tool':
      return withAnswer(state, event.turn, (a) => ({
        ...a,
        parts: updateTool(a.parts, event.name, event.state),
      }));
    case 'chat.image':
      return withAnswer(state, event.turn, (a) => ({
        ...a,
        parts: [...a.parts, { kind: 'image', url: event.url, mediaType: event.mediaType }],
      }));
    case 'chat.done': {
      const next = withAnswer(state, event.turn, (a) => {
        // The final text is authoritative when no delta streamed (a model without streaming).
        const streamed = a.parts.some((p) => p.kind === 'text');
        const parts = streamed || event.text === '' ? a.parts : appendText(a.parts, event.text);
        return { ...a, parts, status: 'done' };
      });
      return { ...next, busy: false };
    }
    case 'chat.error': {
      if (event.turn === undefined) return notice({ ...state, busy: false }, event.why);
      const next = withAnswer(state, event.turn, (a) => ({ ...a, status: 'error', error: event.why }));
      return { ...next, busy: false };
    }
  }
}

/**
 * An image URL safe to put in `<img src>`: same-origin paths and http(s) URLs only (never
 * `javascript:` or `data:` from a message). Undefined when refused.
 */
export function safeImageUrl(url: string, origin: string): string | undefined {
  try {
    const parsed = new URL(url, origin);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
