import { z } from 'zod';
import { httpUrlSchema } from './net.ts';

const allowlistEntrySchema = z.strictObject({
  telegramId: z.int().positive().describe('Telegram user id admitted without a pairing code.'),
  userId: z.string().min(1).describe('QuantForge user the Telegram user acts as.'),
  licence: z.string().min(1).describe('Licence tier of that user.'),
});

/** The `telegram` section. The bot token is a secret (`secrets.yaml` `telegram.botToken`). */
export const telegramConfigSchema = z
  .strictObject({
    apiRoot: httpUrlSchema
      .default('https://api.telegram.org')
      .describe('Bot API root (grammY apiRoot); tests point it at a local Bot API emulator.'),
    allowlist: z
      .array(allowlistEntrySchema)
      .default([])
      .describe('Telegram users admitted without a pairing code; others pair with /start CODE.'),
    pairingCodeTtlMinutes: z
      .int()
      .min(1)
      .default(30)
      .describe('Minutes a pairing code (issued by the owner) stays redeemable; each code works once.'),
    privateIntervalMs: z
      .int()
      .min(0)
      .default(1000)
      .describe('Least time between two Bot API calls to one private chat, ms (Telegram: about 1/s).'),
    groupIntervalMs: z
      .int()
      .min(0)
      .default(3000)
      .describe('Least time between two Bot API calls to one group, ms (Telegram: 20 messages/minute).'),
    maxRetryAfterSeconds: z
      .int()
      .min(1)
      .default(60)
      .describe('Longest retry_after (flood control) the bot waits out; a longer one fails the send.'),
    chartBars: z.int().min(10).max(1000).default(120).describe('Bars drawn by /chart.'),
    chartPeriods: z
      .array(z.string().min(1))
      .min(1)
      .default(['15m', '1h', '4h', '1d'])
      .describe('Periods offered by the /chart keyboard.'),
  })
  .describe('Telegram bot; it runs only when secrets.yaml has telegram.botToken.');

export type TelegramConfig = z.infer<typeof telegramConfigSchema>;
