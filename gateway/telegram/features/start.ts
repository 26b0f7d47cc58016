/** `/start` and `/help`: what the bot does and the command menu. */
import { Composer } from 'grammy';
import type { BotContext } from '../deps.ts';

/** The command menu, as `setMyCommands` takes it. */
export const COMMANDS: readonly { command: string; description: string }[] = [
  { command: 'start', description: 'Start, or pair with a code: /start CODE' },
  { command: 'help', description: 'What this bot does' },
  { command: 'price', description: 'Latest price: /price BTCUSDT' },
  { command: 'chart', description: 'Chart: /chart BTCUSDT 1h' },
  { command: 'alerts', description: 'Your alerts' },
  { command: 'workspace', description: 'Show or switch workspace: /workspace NAME' },
  { command: 'new', description: 'Start a fresh conversation' },
  { command: 'stop', description: 'Stop the running answer' },
];

const HELP = [
  'QuantForge: market data and an analyst agent.',
  '',
  ...COMMANDS.map((c) => `/${c.command}: ${c.description}`),
  '',
  'Anything else you write goes to the agent. In groups, mention me.',
].join('\n');

/** `/start` (for members; pairing is handled by the access layer) and `/help`. */
export function startComposer(): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('start', (ctx) =>
    ctx.reply(`Hello! You are signed in as ${ctx.member?.userId}.\n\n${HELP}`),
  );
  composer.command('help', (ctx) => ctx.reply(HELP));
  return composer;
}
