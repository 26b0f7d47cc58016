/**
 * The Telegram channel: `createTelegramBot(deps, options)` (grammY, long polling or a webhook),
 * its access store (pairing codes, allowlist) and the message splitter. A Bot API emulator for
 * tests is in `./testing/`.
 */
export {
  type AccessStore,
  type AccessStoreOptions,
  type AllowlistEntry,
  createAccessStore,
  type PairingCode,
  type TelegramMember,
} from './access/store.ts';
export { alertText, type TelegramAlertSinkDeps, telegramAlertSink } from './alert-sink.ts';
export { createTelegramBot, type TelegramBot } from './bot.ts';
export { MAX_MESSAGE_LENGTH, splitMessage } from './delivery/split.ts';
export type { BotContext, TelegramBotDeps, TelegramBotOptions } from './deps.ts';
