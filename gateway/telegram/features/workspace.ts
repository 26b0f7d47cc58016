/** `/workspace [NAME]`, `/new` and `/stop`: the member's conversation and what runs in it. */
import { Composer } from 'grammy';
import { SAFE_ID } from '../../../mcp-servers/common/index.ts';
import type { AccessStore } from '../access/store.ts';
import type { BotContext, TelegramBotDeps } from '../deps.ts';
import { contextOf, type TurnRegistry } from './chat.ts';

/** The workspace and conversation commands. */
export function workspaceComposer(
  deps: TelegramBotDeps,
  access: AccessStore,
  turns: TurnRegistry,
): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('workspace', async (ctx) => {
    const wanted = ctx.match.trim();
    if (wanted === '')
      return ctx.reply(`Workspace: ${ctx.member?.workspaceId}. Switch with /workspace NAME.`);
    if (!SAFE_ID.test(wanted)) return ctx.reply('A workspace name is letters, digits, "-" and "_".');
    if (ctx.from === undefined) return;
    turns.cancel(ctx.chat.id);
    ctx.member = access.setWorkspace(ctx.from.id, wanted);
    return ctx.reply(`Workspace: ${wanted}.`);
  });
  composer.command('new', async (ctx) => {
    turns.cancel(ctx.chat.id);
    await deps.agents?.reset(contextOf(ctx));
    return ctx.reply('Fresh conversation started; what you asked me to remember stays.');
  });
  composer.command('stop', (ctx) =>
    ctx.reply(turns.cancel(ctx.chat.id) ? 'Stopped.' : 'Nothing is running.'),
  );
  return composer;
}
