import { z } from 'zod';
import { httpUrlSchema } from './net.ts';

/** The `telegram` section. The bot token is a secret (`secrets.yaml` `telegram.botToken`). */
export const telegramConfigSchema = z
  .strictObject({
    apiRoot: httpUrlSchema
      .default('https://api.telegram.org')
      .describe('Bot API root (grammY apiRoot); tests point it at a local Bot API emulator.'),
  })
  .describe('Telegram bot; it runs only when secrets.yaml has telegram.botToken.');

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;
