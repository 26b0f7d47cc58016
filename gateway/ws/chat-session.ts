/**
 * The chat of one WebSocket connection: one turn at a time; a new message or `chat.cancel`
 * aborts the running turn (its late events are not sent). The turn's progress (`TurnEvent`s of
 * the agent runtime) becomes `chat.start`, `chat.delta`, `chat.tool`, `chat.image`, then
 * `chat.done` or `chat.error`. Images a tool returns are stored through `files` and sent as URLs.
 */
import type { TurnEvent } from '../../agents/runtime/turn.ts';
import type { Identity } from '../types.ts';
import type { ChatMessage } from './protocol.ts';

/** What the hub asks of the chat: one turn for `identity` (app/ wires `AgentRuntime.chat`). */
export interface ChatRequest {
  readonly text: string;
  /** Default: the runtime's (`coordinator`). */
  readonly soul?: string;
  readonly signal: AbortSignal;
  readonly onEvent: (event: TurnEvent) => void;
}
export type ChatHandler = (identity: Identity, request: ChatRequest) => Promise<{ readonly text: string }>;

/** Where chat images go (the gateway's `/files` store); `path` is the URL the page loads. */
export interface FileStore {
  put(userId: string, bytes: Uint8Array, mediaType: string): Promise<{ readonly path: string }>;
}

/** What the chat says when no model is configured. */
export const CHAT_UNAVAILABLE =
  'set anthropic.apiKey in secrets.yaml (or ANTHROPIC_API_KEY) to chat with the agents';

export interface ChatSession {
  start(text: string, soul: string | undefined): void;
  cancel(): void;
}

export interface ChatSessionDeps {
  readonly identity: Identity;
  readonly chat: ChatHandler | undefined;
  readonly files: FileStore | undefined;
  readonly send: (message: ChatMessage) => void;
}

export function createChatSession(deps: ChatSessionDeps): ChatSession {
  const { identity, chat, files, send } = deps;
  let turns = 0;
  let running: { readonly turn: string; readonly controller: AbortController } | null = null;

  function cancel(): void {
    if (running === null) return;
    const { turn, controller } = running;
    running = null;
    controller.abort();
    send({ type: 'chat.error', turn, why: 'cancelled' });
  }

  async function run(
    turn: string,
    text: string,
    soul: string | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    if (chat === undefined) throw new Error(CHAT_UNAVAILABLE);
    const images: Promise<void>[] = [];
    const onEvent = (event: TurnEvent): void => {
      if (signal.aborted) return;
      switch (event.type) {
        case 'text':
          send({ type: 'chat.delta', turn, text: event.text });
          break;
        case 'tool_call':
          send({ type: 'chat.tool', turn, name: event.name, state: 'running' });
          break;
        case 'tool_result':
          send({ type: 'chat.tool', turn, name: event.name, state: event.isError ? 'error' : 'done' });
          if (files === undefined) break;
          for (const image of event.images ?? []) {
            if (image.source.type !== 'base64') continue;
            const mediaType = image.source.media_type;
            const bytes = Buffer.from(image.source.data, 'base64');
            images.push(
              files.put(identity.userId, bytes, mediaType).then(({ path: url }) => {
                if (!signal.aborted) send({ type: 'chat.image', turn, url, mediaType });
              }),
            );
          }
          break;
        default:
          break;
      }
    };
    const result = await chat(identity, { text, ...(soul === undefined ? {} : { soul }), signal, onEvent });
    await Promise.all(images);
    if (!signal.aborted) send({ type: 'chat.done', turn, text: result.text });
  }

  return {
    start(text, soul) {
      cancel();
      const turn = `t${++turns}`;
      const controller = new AbortController();
      running = { turn, controller };
      send({ type: 'chat.start', turn, soul: soul ?? 'coordinator' });
      run(turn, text, soul, controller.signal)
        .catch((error: unknown) => {
          if (!controller.signal.aborted) {
            send({ type: 'chat.error', turn, why: error instanceof Error ? error.message : String(error) });
          }
        })
        .finally(() => {
          if (running?.turn === turn) running = null;
        });
    },
    cancel,
  };
}
