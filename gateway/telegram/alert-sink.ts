/**
 * Telegram's {@link AlertSink}: a fired alert goes to every Telegram chat paired to the alert's
 * user (the access store), through the bot's own `api` — so it waits in the same per-chat queue
 * as replies and photos and gets the same `retry_after` handling. A user without Telegram is
 * skipped (resolves without sending); a chat that refuses the bot for good (403: blocked, never
 * started; 400: chat not found) is logged and skipped rather than holding up every later alert.
 *
 * Idempotence: the deliverer records (alert, `telegram`) only after `deliver` resolves, and a
 * user may have several chats. So the sink keeps its own durable record per (alert, chat),
 * appended and fsynced right AFTER Telegram confirmed that chat's `sendMessage` and before the
 * next chat is tried: a retried or re-read alert (a later chat failed, a crash before the
 * deliverer's ledger line) skips the chats that already have it. Recording BEFORE sending would
 * turn a failed or interrupted send into a lost alert; Telegram offers no idempotency key, so the
 * only window left is a crash between Telegram's answer and the fsync (or a network error that
 * hides whether the message arrived): then the alert is sent again — a rare duplicate rather
 * than a silent loss. Records live in `<dataDir>/_telegram/alerts-delivered/<user>.jsonl`.
 */
import { join } from 'node:path';
import { type Api, GrammyError } from 'grammy';
import type { Logger } from '../../core/logger.ts';
import { isoOfUs } from '../../mcp-servers/common/index.ts';
import {
  type AlertSink,
  createDeliveryLedger,
  type DeliveredAlert,
  type DeliveryLedger,
} from '../../pipeline/alerts/index.ts';
import type { AccessStore } from './access/store.ts';

/** Inputs of {@link telegramAlertSink}. */
export interface TelegramAlertSinkDeps {
  /** The bot's api (paced per chat, retrying on `retry_after`). */
  readonly api: Pick<Api, 'sendMessage'>;
  readonly access: Pick<AccessStore, 'telegramIdsOf'>;
  /** The platform data dir: the per-chat records go under `<dataDir>/_telegram/`. */
  readonly dataDir: string;
  readonly logger?: Pick<Logger, 'warn'>;
}

/** The message of an alert: the rule, the price and time that triggered it, source and as-of time. */
export function alertText(alert: DeliveredAlert): string {
  const at = isoOfUs(alert.triggeredAtUs);
  return [
    `🔔 Alert: ${alert.message}`,
    `Triggered at ${alert.value} (threshold ${alert.threshold}) at ${at}`,
    `Source: ${alert.venue}:${alert.symbol} market stream (${alert.kind} rule ${alert.ruleId}), as of ${at}`,
  ].join('\n');
}

/** Whether a send failed for good (the chat will not take messages from the bot). */
function refusedForGood(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  return error.error_code === 403 || (error.error_code === 400 && /chat not found/i.test(error.description));
}

/** The Telegram channel of the alert deliverer (`channel: 'telegram'`). */
export function telegramAlertSink(deps: TelegramAlertSinkDeps): AlertSink {
  const sent: DeliveryLedger = createDeliveryLedger({ dataDir: join(deps.dataDir, '_telegram') });
  return {
    channel: 'telegram',
    async deliver(alert) {
      const chats = deps.access.telegramIdsOf(alert.userId);
      if (chats.length === 0) return;
      const text = alertText(alert);
      for (const chatId of chats) {
        const key = `chat:${chatId}`;
        if (sent.has(alert.userId, alert.alertId, key)) continue;
        try {
          await deps.api.sendMessage(chatId, text);
        } catch (error) {
          if (!refusedForGood(error)) throw error;
          deps.logger?.warn(
            { err: error, chatId, alert: alert.alertId },
            'telegram: a chat refused an alert',
          );
          continue;
        }
        sent.record(alert.userId, alert.alertId, key);
      }
    },
  };
}
