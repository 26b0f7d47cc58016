/**
 * The per-chat delivery queue, as a grammY API transformer: every Bot API call that names a
 * `chat_id` (replies, drafts, edits, photos, chat actions and, later, alerts — whoever calls
 * `bot.api`) waits for the previous call to the same chat to finish and for that chat's pacing
 * interval to pass. One queue per chat keeps a chat's messages in order and inside Telegram's
 * limits (about one message a second in a private chat, twenty a minute in a group) without
 * code in the handlers. Install it after the auto-retry transformer so a `retry_after` wait
 * holds the chat's queue: nothing overtakes a message that is waiting to be retried.
 */
import type { Transformer } from 'grammy';

/** Pacing of {@link createChatQueue}. */
export interface ChatQueueOptions {
  /** Least time between two calls to one private chat (chat id > 0), ms. */
  readonly privateIntervalMs: number;
  /** Least time between two calls to one group or channel (chat id < 0), ms. */
  readonly groupIntervalMs: number;
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** Waits `ms`; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The queue: its transformer, and a way to wait until every chat's queue is empty. */
export interface ChatQueue {
  readonly transformer: Transformer;
  /** Resolves when every call queued so far has finished (on stop). */
  idle(): Promise<void>;
}

interface Lane {
  tail: Promise<void>;
  lastAt: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chatIdOf(payload: unknown): number | string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const id = (payload as { chat_id?: unknown }).chat_id;
  return typeof id === 'number' || typeof id === 'string' ? id : undefined;
}

/** Builds the per-chat queue. */
export function createChatQueue(options: ChatQueueOptions): ChatQueue {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const lanes = new Map<number | string, Lane>();

  const transformer: Transformer = function chatQueue(prev, method, payload, signal) {
    const chatId = chatIdOf(payload);
    if (chatId === undefined) return prev(method, payload, signal);
    let lane = lanes.get(chatId);
    if (lane === undefined) {
      lane = { tail: Promise.resolve(), lastAt: Number.NEGATIVE_INFINITY };
      lanes.set(chatId, lane);
    }
    const own = lane;
    const interval =
      typeof chatId === 'number' && chatId > 0 ? options.privateIntervalMs : options.groupIntervalMs;
    const run = own.tail.then(async () => {
      const wait = own.lastAt + interval - now();
      if (wait > 0) await sleep(wait);
      try {
        return await prev(method, payload, signal);
      } finally {
        own.lastAt = now();
      }
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    own.tail = tail;
    // Forget an idle lane so the map does not grow with every chat ever seen.
    void tail.then(() => {
      if (own.tail === tail && lanes.get(chatId) === own && now() - own.lastAt >= interval)
        lanes.delete(chatId);
    });
    return run;
  };

  return {
    transformer,
    async idle() {
      await Promise.all([...lanes.values()].map((l) => l.tail));
    },
  };
}
