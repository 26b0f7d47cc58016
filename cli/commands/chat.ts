import type { Command } from 'commander';
import type { ChatOptions } from '../../app/commands/chat.ts';
import { withCommonOptions } from '../options.ts';

/** `quantforge chat`: a terminal chat with the agents (needs `anthropic.apiKey` in secrets.yaml). */
export function registerChatCommand(program: Command): void {
  withCommonOptions(
    program
      .command('chat')
      .description('chat with the agents in the terminal; the answer streams (needs anthropic.apiKey)')
      .option('--user <id>', 'the user you chat as', 'local')
      .option('--workspace <id>', 'the workspace the agents act on', 'default')
      .option('--soul <name>', 'the agent to talk to (a soul file under souls/)', 'coordinator')
      .option('--once <text>', 'answer this one message and exit'),
  ).action(async (options: ChatOptions) => {
    const { runChatCommand } = await import('../../app/commands/chat.ts');
    await runChatCommand(options);
  });
}
