/**
 * Free text → the coordinator. The request context (user, workspace, licence, channel
 * `telegram`) comes from the member mapping, never from the model. In private chats every
 * message is for the agent; in groups only one that mentions the bot or replies to it. A new
 * message, `/stop` or `/new` cancels the chat's running turn. Turns run beside the update
 * loop (not awaited by the handler), so the next update — the `/stop` — is seen while a turn runs.
 */
import type { ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { Composer, InputFile } from 'grammy';
import type { RequestContext } from '../../../mcp-servers/common/index.ts';
import { createReplyStream } from '../delivery/reply-stream.ts';
import type { BotContext, TelegramBotDeps } from '../deps.ts';

/** The running turns of a bot, one per chat. */
export interface TurnRegistry {
  /** Aborts the chat's running turn; true when there was one. */
  cancel(chatId: number): boolean;
  /** Aborts every turn and waits for them to settle (on stop). */
  cancelAll(): Promise<void>;
}

/** The request context of a member. */
export function contextOf(ctx: BotContext): RequestContext {
  const m = ctx.member;
  if (m === undefined) throw new Error('no member on this update: the access layer must run first');
  return { userId: m.userId, workspaceId: m.workspaceId, channel: 'telegram', licence: m.licence };
}

/** The text addressed to the bot, or null when a group message does not mention or answer it. */
function addressedText(ctx: BotContext): string | null {
  const msg = ctx.message;
  const full = msg?.text;
  if (msg === undefined || full === undefined || ctx.chat === undefined) return null;
  if (full.startsWith('/')) return null;
  if (ctx.chat.type === 'private') return full;
  const mention = `@${ctx.me.username}`;
  const mentioned = (msg.entities ?? []).some(
    (e) =>
      e.type === 'mention' &&
      full.slice(e.offset, e.offset + e.length).toLowerCase() === mention.toLowerCase(),
  );
  const answersBot = msg.reply_to_message?.from?.id === ctx.me.id;
  if (!mentioned && !answersBot) return null;
  return full.replace(new RegExp(mention, 'ig'), '').trim();
}

/** Images once each: a tool's image is reported on its event and again in the turn's result. */
function uniqueImages(images: readonly ImageBlockParam[]): ImageBlockParam[] {
  const seen = new Set<string>();
  return images.filter((image) => {
    const key =
      image.source.type === 'base64'
        ? image.source.data
        : image.source.type === 'url'
          ? image.source.url
          : '';
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An image block as a photo to send: uploaded bytes, or the URL for Telegram to fetch. */
function photoOf(image: ImageBlockParam): InputFile | string {
  const source = image.source;
  if (source.type === 'url') return source.url;
  if (source.type === 'base64') {
    const ext = source.media_type.split('/')[1] ?? 'png';
    return new InputFile(Buffer.from(source.data, 'base64'), `image.${ext}`);
  }
  throw new Error(`an image of source type ${(source as { type: string }).type} cannot be sent`);
}

/** The chat feature and the registry of its running turns. */
export function chatComposer(deps: TelegramBotDeps): { composer: Composer<BotContext>; turns: TurnRegistry } {
  const composer = new Composer<BotContext>();
  const running = new Map<number, AbortController>();
  const settling = new Set<Promise<void>>();

  const turns: TurnRegistry = {
    cancel(chatId) {
      const controller = running.get(chatId);
      if (controller === undefined) return false;
      controller.abort();
      running.delete(chatId);
      return true;
    },
    async cancelAll() {
      for (const controller of running.values()) controller.abort();
      running.clear();
      await Promise.allSettled([...settling]);
    },
  };

  composer.on('message:text', async (ctx, next) => {
    const text = addressedText(ctx);
    if (text === null || text === '') return next();
    const agents = deps.agents;
    if (agents === undefined)
      return ctx.reply('The agent is not configured on this deployment; try /price or /chart.');
    const chatId = ctx.chat.id;
    turns.cancel(chatId);
    const controller = new AbortController();
    running.set(chatId, controller);
    const stream = createReplyStream(
      ctx.api,
      { chatId, private: ctx.chat.type === 'private', draftId: ctx.message.message_id },
      (error) => deps.logger?.warn({ err: error, chatId }, 'telegram: a streamed update failed'),
    );
    let sofar = '';
    const images: ImageBlockParam[] = [];
    const turn = agents
      .chat({
        context: contextOf(ctx),
        text,
        signal: controller.signal,
        onEvent(event) {
          if (controller.signal.aborted) return;
          if (event.type === 'text') {
            sofar += event.text;
            stream.update(sofar);
          } else if (event.type === 'tool_call') {
            // A tool round starts a new text block; the draft shows only the latest one.
            sofar = '';
          } else if (event.type === 'tool_result' && event.images !== undefined) {
            images.push(...event.images);
          }
        },
      })
      .then(
        async (result) => {
          // A cancelled turn sends nothing more, even if the runtime finished it anyway.
          if (controller.signal.aborted) return;
          await stream.finish(result.text);
          // The turn's images (charts) follow the text as photos, in the chat's queue.
          for (const image of uniqueImages([...images, ...result.images])) {
            if (controller.signal.aborted) return;
            await ctx.api.sendPhoto(chatId, photoOf(image));
          }
        },
        async (error: unknown) => {
          if (controller.signal.aborted) return;
          deps.logger?.error({ err: error, chatId }, 'telegram: the turn failed');
          await ctx.api.sendMessage(
            chatId,
            `Sorry, that failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      )
      .catch((error: unknown) =>
        deps.logger?.error({ err: error, chatId }, 'telegram: the reply could not be sent'),
      )
      .finally(() => {
        if (running.get(chatId) === controller) running.delete(chatId);
        settling.delete(turn);
      });
    settling.add(turn);
  });

  return { composer, turns };
}
