import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../../core/errors.ts';
import { isMcpServerName, MCP_SERVER_NAMES, type McpServerName } from '../../mcp-servers/registry.ts';
import { openMcpServices } from '../../mcp-servers/services.ts';
import { runStdioServer } from '../../mcp-servers/stdio.ts';
import { parseStoreConfig } from '../../pipeline/store/index.ts';
import type { BackfillRuntime } from '../backfill-runtime.ts';
import { alertLimitsOf, loadConfig } from '../config/index.ts';
import { credentialsPath, readOwnerToken } from '../credentials.ts';
import { createAppLogger } from '../logging.ts';
import { checkResearch, researchOptions } from '../research.ts';
import { parseIdFlags } from './context.ts';

export interface McpOptions {
  readonly dataDir?: string;
  readonly config?: string;
  readonly user: string;
  readonly workspace: string;
  readonly port?: string;
  readonly host?: string;
  /** claude-config: HTTP entries against the gateway (its URL, default config gateway.publicUrl or host:port). */
  readonly http?: string | boolean;
}

/**
 * `quantforge mcp <server>`: one MCP server on stdio (for Claude Desktop); stdout is the
 * protocol, logs go to stderr. `quantforge mcp http`: every enabled server over streamable
 * HTTP at `/mcp/<server>` with bearer tokens from secrets.yaml `mcp.tokens`.
 */
export async function runMcpCommand(server: string, options: McpOptions): Promise<void> {
  const { config, secrets } = loadConfig(options.config === undefined ? {} : { configPath: options.config });
  const dataDir = resolve(options.dataDir ?? config.store.dataDir);
  const logger = createAppLogger(config.log, 'mcp', 'info');
  const enabled = MCP_SERVER_NAMES.filter((n) => (config.mcp.toolsets as readonly string[]).includes(n));
  if (server === 'claude-config') {
    const entries =
      options.http === undefined || options.http === false
        ? claudeDesktopConfig(enabled, dataDir, options.user)
        : claudeHttpConfig(
            // The gateway serves every enabled server but backfill (it needs a backfill service).
            enabled.filter((n) => n !== 'backfill'),
            typeof options.http === 'string'
              ? options.http
              : (config.gateway.publicUrl ?? `http://${config.gateway.host}:${config.gateway.port}`),
            ownerTokenOf(dataDir),
          );
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  if (server !== 'http') {
    if (!isMcpServerName(server)) {
      throw new InvalidInputError(
        'server',
        `"${server}" is not an MCP server; valid: ${MCP_SERVER_NAMES.join(', ')}, http, claude-config`,
      );
    }
    if (!enabled.includes(server)) {
      throw new InvalidInputError('server', `"${server}" is switched off by config mcp.toolsets`);
    }
  }
  parseIdFlags({ '--user': options.user, '--workspace': options.workspace });
  // The backfill server needs a backfill service: here an embedded pipeline over the store.
  const store = parseStoreConfig({ ...config.store, dataDir });
  let backfill: BackfillRuntime | undefined;
  if (server === 'backfill' || (server === 'http' && enabled.includes('backfill'))) {
    try {
      // Loaded only here: an embedded pipeline (kafkajs, ws, the venue adapters) that stdio servers
      // other than backfill never need.
      const { openBackfillRuntime } = await import('../backfill-runtime.ts');
      backfill = await openBackfillRuntime(config, store, logger);
    } catch (error) {
      if (server === 'backfill') throw error;
      logger.warn({ err: error }, 'backfill service did not start; serving without the backfill server');
    }
  }
  // Over HTTP, research is served only where its venv and bwrap are (stdio `mcp research` runs and
  // its tools say what is missing).
  const research =
    server === 'http' && enabled.includes('research') ? await checkResearch(config) : undefined;
  if (research !== undefined && !research.ready) logger.warn(`research server off: ${research.reason}`);
  const served = enabled.filter(
    (n) =>
      (n !== 'backfill' || backfill !== undefined) &&
      (n !== 'research' || (config.research.enabled && research?.ready !== false)),
  );
  const services = await openMcpServices({
    dataDir,
    store,
    logger,
    research: researchOptions(config),
    alertLimits: alertLimitsOf(config.licences),
    ...(backfill ? { backfill: backfill.jobs } : {}),
  });
  try {
    if (server === 'http') {
      const port = options.port === undefined ? config.mcp.http.port : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new InvalidInputError('--port', `"${options.port}" is not a TCP port (0..65535)`);
      }
      const { startMcpHttpServer } = await import('../../mcp-servers/http.ts');
      const http = await startMcpHttpServer(services, {
        servers: served,
        tokens: secrets.mcp.tokens,
        allowedHosts: config.mcp.http.allowedHosts,
        host: options.host ?? config.mcp.http.host,
        port,
      });
      logger.info({ url: http.url, servers: served }, 'MCP over streamable HTTP');
      process.stderr.write(`quantforge mcp: listening on ${http.url}/mcp/<server>\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await http.close();
    } else {
      await runStdioServer({
        name: server as McpServerName,
        services,
        context: {
          userId: options.user,
          workspaceId: options.workspace,
          channel: 'stdio',
          licence: 'local',
        },
      });
    }
  } finally {
    services.close();
    await backfill?.close();
  }
}

/** The owner MCP token generated into `dataDir`; throws saying how to get one before the first start. */
function ownerTokenOf(dataDir: string): string {
  const token = readOwnerToken(dataDir);
  if (token === undefined) {
    throw new InvalidInputError(
      '--http',
      `no owner token in ${credentialsPath(dataDir)} yet: run quantforge start (or quantforge gateway) once with this data dir`,
    );
  }
  return token;
}

/**
 * MCP client entries for the gateway's `/mcp/<server>` over streamable HTTP with the owner's bearer
 * token (the `{type, url, headers}` shape of Claude Code's `.mcp.json` and other HTTP-capable hosts).
 */
export function claudeHttpConfig(
  servers: readonly string[],
  gatewayUrl: string,
  token: string,
): { mcpServers: Record<string, { type: 'http'; url: string; headers: { Authorization: string } }> } {
  const base = gatewayUrl.replace(/\/+$/, '');
  const mcpServers: Record<string, { type: 'http'; url: string; headers: { Authorization: string } }> = {};
  for (const name of servers) {
    mcpServers[`quantforge-${name}`] = {
      type: 'http',
      url: `${base}/mcp/${name}`,
      headers: { Authorization: `Bearer ${token}` },
    };
  }
  return { mcpServers };
}

/** A `claude_desktop_config.json` running each enabled server over stdio, with absolute paths. */
export function claudeDesktopConfig(
  servers: readonly string[],
  dataDir: string,
  user: string,
): { mcpServers: Record<string, { command: string; args: string[] }> } {
  const bin = fileURLToPath(new URL('../../bin/quantforge.mjs', import.meta.url));
  const mcpServers: Record<string, { command: string; args: string[] }> = {};
  for (const name of servers) {
    mcpServers[`quantforge-${name}`] = {
      command: process.execPath,
      args: [bin, 'mcp', name, '--data-dir', dataDir, '--user', user],
    };
  }
  return { mcpServers };
}
