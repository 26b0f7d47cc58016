/**
 * A streamed reply. In a private chat the growing text is shown as a message draft
 * (`sendMessageDraft`) and the answer ends as real messages; in a group it is one message edited
 * as the text grows. Updates are latest-wins: while one call is in flight (or waiting in the
 * chat's queue for its pacing slot) newer text only replaces the pending text, so the number of
 * calls follows Telegram's pace, not the model's. The final text is split on safe boundaries
 * and each piece sent once.
 */
import type { Api } from 'grammy';
import { MAX_MESSAGE_LENGTH, splitMessage } from './split.ts';

/** Where the reply goes. */
export interface ReplyTarget {
  readonly chatId: number;
  /** Private chats get drafts, the others paced edits. */
  readonly private: boolean;
  /** Draft id (non-zero), e.g. the id of the message being answered. */
  readonly draftId: number;
}

/** A reply being streamed. */
export interface ReplyStream {
  /** The whole text so far (not a delta). */
  update(text: string): void;
  /** Waits for the in-flight update, then sends `text` as the final message(s). */
  finish(text: string): Promise<void>;
}

/** Starts a streamed reply; `onError` hears failed intermediate updates (the final send throws). */
export function createReplyStream(
  api: Api,
  target: ReplyTarget,
  onError: (error: unknown) => void,
): ReplyStream {
  let latest = '';
  let shown = '';
  let pump: Promise<void> | null = null;
  /** The group message being edited, once sent. */
  let messageId: number | null = null;
  let finished = false;

  async function show(text: string): Promise<void> {
    if (target.private) {
      // A draft longer than one message shows its last piece: what is being written now.
      const pieces = splitMessage(text);
      await api.sendMessageDraft(target.chatId, target.draftId, pieces[pieces.length - 1] ?? '');
    } else if (messageId === null) {
      messageId = (await api.sendMessage(target.chatId, text)).message_id;
    } else {
      await api.editMessageText(target.chatId, messageId, text);
    }
    shown = text;
  }

  async function drain(): Promise<void> {
    while (!finished && latest !== shown) {
      const text = latest;
      // Groups: past one message, stop editing; the final send splits it.
      if (!target.private && text.length > MAX_MESSAGE_LENGTH) return;
      try {
        await show(text);
      } catch (error) {
        onError(error);
        return;
      }
    }
  }

  return {
    update(text) {
      if (finished || text.trim() === '') return;
      latest = text;
      if (pump === null)
        pump = drain().finally(() => {
          pump = null;
        });
    },
    async finish(text) {
      finished = true;
      await pump;
      const pieces = splitMessage(text.trim() === '' ? '(no answer)' : text);
      let rest = pieces;
      if (messageId !== null) {
        const [first = '', ...others] = pieces;
        if (first !== shown) await api.editMessageText(target.chatId, messageId, first);
        rest = others;
      }
      for (const piece of rest) await api.sendMessage(target.chatId, piece);
    },
  };
}
