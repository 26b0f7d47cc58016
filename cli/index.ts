/**
 * The `quantforge` CLI: one commander program, one file per command under `commands/` holding
 * its flags and help; the command's work is in app/commands/, imported only when it runs, so
 * `--help` and each command load just what they use. `main` returns the exit code; commands
 * throw `QuantForgeError`s and this is the one place that decides what the user sees.
 */
import { Command, CommanderError } from 'commander';
import { QuantForgeError } from '../core/errors.ts';
import { registerBackfillCommand } from './commands/backfill.ts';
import { registerBarsCommand } from './commands/bars.ts';
import { registerChatCommand } from './commands/chat.ts';
import { registerGapsCommand } from './commands/gaps.ts';
import { registerGatewayCommand } from './commands/gateway.ts';
import { registerIngestCommand } from './commands/ingest.ts';
import { registerMcpCommand } from './commands/mcp.ts';
import { registerPipelineCommand } from './commands/pipeline.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerSymbolsCommand } from './commands/symbols.ts';
import { registerTopicsCommand } from './commands/topics.ts';
import { registerTradesCommand } from './commands/trades.ts';

export function createProgram(): Command {
  const program = new Command('quantforge')
    .description('Agent-first market data: pipeline, store, MCP servers and agents')
    .exitOverride()
    .showHelpAfterError();
  registerStartCommand(program);
  registerChatCommand(program);
  registerMcpCommand(program);
  registerGatewayCommand(program);
  registerIngestCommand(program);
  registerPipelineCommand(program);
  registerBarsCommand(program);
  registerTradesCommand(program);
  registerSymbolsCommand(program);
  registerGapsCommand(program);
  registerBackfillCommand(program);
  registerTopicsCommand(program);
  return program;
}

/** Runs the CLI with `argv` (as `process.argv`) and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof QuantForgeError) {
      process.stderr.write(`quantforge: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `quantforge: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
