import type { Command } from 'commander';
import { MCP_SERVER_NAMES } from '../../app/commands/choices.ts';
import type { McpOptions } from '../../app/commands/mcp.ts';

/**
 * `quantforge mcp <server>`: one MCP server on stdio (for Claude Desktop); stdout is the
 * protocol, logs go to stderr. `quantforge mcp http`: every enabled server over streamable
 * HTTP at `/mcp/<server>` with bearer tokens from secrets.yaml `mcp.tokens`.
 */
export function registerMcpCommand(program: Command): void {
  program
    .command('mcp')
    .description(`run an MCP server on stdio (${MCP_SERVER_NAMES.join(', ')}), or "http" for all over HTTP`)
    .argument(
      '<server>',
      `${MCP_SERVER_NAMES.join(' | ')} | http | claude-config (prints claude_desktop_config.json)`,
    )
    .option('--data-dir <dir>', 'store directory (default: config store.dataDir)')
    .option('--config <file>', 'config.yaml to read (secrets.yaml is looked up beside it)')
    .option('--user <id>', 'stdio: the local user the server acts for', 'local')
    .option('--workspace <id>', 'stdio: the workspace it acts on', 'default')
    .option('--host <host>', 'http: listen address (default: config mcp.http.host)')
    .option('--port <port>', 'http: TCP port (default: config mcp.http.port)')
    .option(
      '--http [gatewayUrl]',
      'claude-config: HTTP entries for the gateway with the owner token from the data dir (default URL: config gateway.publicUrl, else gateway host:port)',
    )
    .action(async (server: string, options: McpOptions) => {
      const { runMcpCommand } = await import('../../app/commands/mcp.ts');
      await runMcpCommand(server, options);
    });
}
