/**
 * `/alerts`: the member's alert rules, each with a delete button (`alerts|del|<rule id>`, within
 * 64 bytes); `/alerts add SYMBOL above|below PRICE` sets a price-level rule through
 * `createAlert` — the rule store, the licence's count limit, the validation and the market-time
 * creation the MCP `create_alert` tool and the web page use. Without the rule store (`deps.alerts`), it says alerts are off.
 */
import { Composer, InlineKeyboard } from 'grammy';
import { errorMessage } from '../../../mcp-servers/common/index.ts';
import { createAlert, createAlertInput, describeRule } from '../../../mcp-servers/market-data/index.ts';
import type { AlertRule } from '../../../pipeline/alerts/index.ts';
import type { BotContext, TelegramBotDeps } from '../deps.ts';
import { MAX_CALLBACK_DATA_BYTES } from './chart.ts';
import { contextOf } from './chat.ts';

const DELETE_PREFIX = 'alerts|del|';
const USAGE = 'Set one with: /alerts add BTCUSDT above 65000 (or below)';

/** Callback data of a rule's delete button. */
export function deleteCallbackData(ruleId: string): string {
  return `${DELETE_PREFIX}${ruleId}`;
}

/** The list message: text and one delete button per rule (rules whose id does not fit get none). */
function listOf(rules: readonly AlertRule[], limit: number): { text: string; keyboard: InlineKeyboard } {
  const keyboard = new InlineKeyboard();
  if (rules.length === 0) return { text: `You have no alerts (limit ${limit}).\n${USAGE}`, keyboard };
  const lines = rules.map((r, i) => `${i + 1}. ${r.venue}:${r.symbol} ${describeRule(r)}, ${r.mode}`);
  rules.forEach((r, i) => {
    const data = deleteCallbackData(r.id);
    if (Buffer.byteLength(data) <= MAX_CALLBACK_DATA_BYTES) keyboard.text(`🗑 ${i + 1}`, data).row();
  });
  return { text: `Your alerts (${rules.length}/${limit}):\n${lines.join('\n')}\n\n${USAGE}`, keyboard };
}

/** `/alerts add SYMBOL above|below PRICE` → the tool's arguments, or null when it does not parse. */
function parseAdd(
  args: string,
): { symbol: string; exchange?: string; level: number; direction: 'up' | 'down' } | null {
  const m = /^add\s+(\S+)\s+(above|below)\s+([0-9]+(?:\.[0-9]+)?)\s*$/i.exec(args.trim());
  if (m === null) return null;
  const typed = m[1]!;
  const colon = typed.indexOf(':');
  return {
    symbol: colon > 0 ? typed.slice(colon + 1) : typed,
    ...(colon > 0 ? { exchange: typed.slice(0, colon) } : {}),
    level: Number(m[3]),
    direction: m[2]!.toLowerCase() === 'above' ? 'up' : 'down',
  };
}

/** The `/alerts` command and its delete buttons. */
export function alertsComposer(deps: TelegramBotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const alerts = deps.alerts;

  composer.command('alerts', async (ctx) => {
    if (alerts === undefined) return ctx.reply('Alerts are not enabled on this deployment.');
    const context = contextOf(ctx);
    const limit = alerts.limitOf(context.licence);
    const args = ctx.match.trim();
    if (args !== '') {
      const add = parseAdd(args);
      if (add === null) return ctx.reply(`I did not understand that. ${USAGE}`);
      let created: AlertRule;
      let used: number;
      try {
        ({ rule: created, used } = await createAlert(
          { market: deps.market, alerts },
          context,
          createAlertInput.parse({ kind: 'price_level', ...add }),
        ));
      } catch (error) {
        return ctx.reply(errorMessage(error));
      }
      return ctx.reply(
        `Alert set on ${created.venue}:${created.symbol}: ${describeRule(created)}, ${created.mode}. ${used}/${limit} alerts used.`,
      );
    }
    const { text, keyboard } = listOf(alerts.rules.list(context.userId), limit);
    return ctx.reply(text, { reply_markup: keyboard });
  });

  composer.callbackQuery(/^alerts\|del\|/, async (ctx) => {
    if (alerts === undefined) return ctx.answerCallbackQuery({ text: 'Alerts are not enabled.' });
    const context = contextOf(ctx);
    const ruleId = ctx.callbackQuery.data.slice(DELETE_PREFIX.length);
    const deleted = alerts.rules.delete(context.userId, ruleId);
    await ctx.answerCallbackQuery({ text: deleted ? 'Alert deleted.' : 'That alert is already gone.' });
    const { text, keyboard } = listOf(alerts.rules.list(context.userId), alerts.limitOf(context.licence));
    await ctx.editMessageText(text, { reply_markup: keyboard }).catch((error: unknown) => {
      // "message is not modified" when another press already removed it; nothing to show.
      deps.logger?.warn({ err: error }, 'telegram: the alert list could not be updated');
    });
  });
  return composer;
}
