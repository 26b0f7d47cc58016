/**
 * The access layer: the first middleware of the bot. A member (mapped, or on the allowlist)
 * passes with `ctx.member` set; a stranger may only redeem a pairing code (`/start CODE` or
 * `/pair CODE`), everything else is refused without reaching any feature.
 */
import { Composer } from 'grammy';
import type { BotContext } from '../deps.ts';
import type { AccessStore } from './store.ts';

const REFUSAL =
  'This bot is private. Ask the owner for a pairing code and send it as /start CODE (codes expire).';

/** Admits members and redeems pairing codes. */
export function accessComposer(access: AccessStore): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.use(async function admit(ctx, next) {
    const from = ctx.from;
    if (from === undefined || from.is_bot) return;
    const member = access.memberOf(from.id);
    if (member !== null) {
      ctx.member = member;
      return next();
    }
    const text = ctx.message?.text ?? '';
    const pairing = /^\/(?:start|pair)(?:@\w+)?\s+(\S+)/.exec(text);
    if (pairing?.[1] !== undefined && ctx.chat?.type === 'private') {
      const result = access.redeem(from.id, pairing[1]);
      if (result.ok) {
        await ctx.reply(`Paired: you are ${result.member.userId} (${result.member.licence}). Try /help.`);
      } else {
        await ctx.reply(
          result.reason === 'expired'
            ? 'That pairing code has expired. Ask the owner for a new one.'
            : 'That pairing code is not valid (codes work once). Ask the owner for a new one.',
        );
      }
      return;
    }
    if (ctx.callbackQuery !== undefined) {
      await ctx.answerCallbackQuery({ text: 'Not allowed.' });
      return;
    }
    // In groups a stranger's chatter is ignored; only a direct message gets the refusal.
    if (ctx.chat?.type === 'private' && ctx.message !== undefined) await ctx.reply(REFUSAL);
  });
  return composer;
}
