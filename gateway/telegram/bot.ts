/**
 * The Telegram bot: one Composer per feature, assembled here in order (access first: nothing
 * reaches a feature for a stranger). Cross-cutting behaviour lives on the API client as
 * transformers: auto-retry honours `retry_after` (and only that: a 5xx or a network error may
 * hide a delivered message, so it is not retried), and the per-chat queue outside it paces and
 * orders every call to a chat — replies, drafts, edits, photos and alerts alike.
 *
 * @example
 * const telegram = createTelegramBot({ market, access, agents }, { token, apiRoot, ... });
 * await telegram.start(); // long polling; or mount telegram.webhook(secret) on the gateway
 * await telegram.stop();
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { Bot, webhookCallback } from 'grammy';
import { accessComposer } from './access/composer.ts';
import { createChatQueue } from './delivery/chat-queue.ts';
import type { BotContext, TelegramBotDeps, TelegramBotOptions } from './deps.ts';
import { alertsComposer } from './features/alerts.ts';
import { chartComposer } from './features/chart.ts';
import { chatComposer } from './features/chat.ts';
import { priceComposer } from './features/price.ts';
import { COMMANDS, startComposer } from './features/start.ts';
import { workspaceComposer } from './features/workspace.ts';

/** A built bot. */
export interface TelegramBot {
  /** The grammY bot (its `api` is the paced, retrying client other senders — alerts — use). */
  readonly bot: Bot<BotContext>;
  /** Publishes the command menu and starts long polling; resolves once polling runs. */
  start(): Promise<void>;
  /** Stops polling, cancels running turns and waits for queued sends. */
  stop(): Promise<void>;
  /** A fetch-style handler for a webhook route on the gateway (`secretToken` checked). */
  webhook(secretToken: string): (request: Request) => Promise<Response>;
}

/** Builds the bot over `deps`; nothing is called until `start` (or a webhook update). */
export function createTelegramBot(deps: TelegramBotDeps, options: TelegramBotOptions): TelegramBot {
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot: options.apiRoot } });
  bot.api.config.use(
    autoRetry({
      maxDelaySeconds: options.maxRetryAfterSeconds,
      rethrowInternalServerErrors: true,
      rethrowHttpErrors: true,
    }),
  );
  const queue = createChatQueue({
    privateIntervalMs: options.privateIntervalMs,
    groupIntervalMs: options.groupIntervalMs,
  });
  bot.api.config.use(queue.transformer);

  const chat = chatComposer(deps);
  bot.use(accessComposer(deps.access));
  bot.use(startComposer());
  bot.use(priceComposer(deps));
  bot.use(chartComposer(deps, options));
  bot.use(workspaceComposer(deps, deps.access, chat.turns));
  bot.use(alertsComposer(deps));
  bot.use(chat.composer);

  // The one place that decides what a user sees when a handler throws.
  bot.catch(async (error) => {
    deps.logger?.error({ err: error.error, update: error.ctx.update.update_id }, 'telegram: handler failed');
    await error.ctx.reply('Sorry, something went wrong.').catch(() => undefined);
  });

  let polling: Promise<void> | null = null;
  return {
    bot,
    async start() {
      await bot.init();
      await bot.api.setMyCommands([...COMMANDS]);
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({ onStart: () => resolve(), drop_pending_updates: false })
          .catch((error: unknown) => {
            deps.logger?.error({ err: error }, 'telegram: polling stopped');
            reject(error);
          });
      });
      deps.logger?.info({ bot: bot.botInfo.username }, 'telegram: polling');
    },
    async stop() {
      if (bot.isRunning()) await bot.stop();
      await polling;
      await chat.turns.cancelAll();
      await queue.idle();
    },
    webhook(secretToken) {
      return webhookCallback(bot, 'std/http', { secretToken });
    },
  };
}
