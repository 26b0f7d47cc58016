/**
 * Runs one MCP server over stdio: stdout is the protocol, logs go to stderr. The caller is the
 * one local user named by config/flags (a stdio server runs on the user's own machine).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { fixedContext, type RequestContext } from './common/index.ts';
import { createNamedServer, type McpServerName } from './registry.ts';
import type { McpServices } from './services.ts';

/** Options of {@link runStdioServer}. */
export interface RunStdioOptions {
  readonly name: McpServerName;
  readonly services: McpServices;
  readonly context: RequestContext;
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
}

/** Serves `name` on stdio until the input closes; resolves then. */
export async function runStdioServer(options: RunStdioOptions): Promise<void> {
  const built = await createNamedServer(options.name, options.services, fixedContext(options.context));
  const transport = new StdioServerTransport(
    options.stdin as NodeJS.ReadStream | undefined,
    options.stdout as NodeJS.WriteStream | undefined,
  );
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    (options.stdin ?? process.stdin).once('end', () => resolve());
  });
  await built.server.connect(transport);
  options.services.logger.info({ server: options.name, user: options.context.userId }, 'MCP server on stdio');
  await closed;
  await built.close();
}
