/**
 * Test helper: the name of every tool our MCP servers expose, as a model sees it
 * (`mcp__<server>__<tool>`), read from the servers themselves: each is built in-process over
 * services that hold no data and listed through a linked MCP client. A renamed tool changes this
 * list, so souls checked against it break.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../core/logger.ts';
import { createBackfillJobs } from '../../../mcp-servers/backfill/index.ts';
import { createSeriesRegistry, fixedContext } from '../../../mcp-servers/common/index.ts';
import { createWatchRegistry } from '../../../mcp-servers/market-data/index.ts';
import { createNamedServer, MCP_SERVER_NAMES } from '../../../mcp-servers/registry.ts';
import type { McpServices } from '../../../mcp-servers/services.ts';
import { fakeBackfillService } from '../../../mcp-servers/testing/fake-backfill.ts';
import { linkClient, stubMarket } from '../../../mcp-servers/testing/link-client.ts';
import { createWorkspaceStore } from '../../../mcp-servers/workspace/index.ts';
import { createAlertRuleStore } from '../../../pipeline/alerts/index.ts';
import { toolNameOf } from '../tool-patterns.ts';

/** Every `mcp__<server>__<tool>` of every server this build has, sorted. */
export async function mcpToolNames(): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qf-souls-tools-'));
  const market = stubMarket([]);
  const series = createSeriesRegistry({ dataDir });
  const services: McpServices = {
    market,
    workspaces: createWorkspaceStore({ dataDir }),
    series,
    watches: createWatchRegistry({ market }),
    alerts: createAlertRuleStore({ dataDir }),
    alertLimits: {},
    backfill: createBackfillJobs(fakeBackfillService()),
    logger: createLogger({ name: 'test', level: 'silent' }),
    dataDir,
  };
  const context = fixedContext({ userId: 'souls', workspaceId: 'w', channel: 'test', licence: 'pro' });
  const names: string[] = [];
  try {
    for (const server of MCP_SERVER_NAMES) {
      const built = await createNamedServer(server, services, context);
      const { client, close } = await linkClient(built.server);
      try {
        const { tools } = await client.listTools();
        for (const tool of tools) names.push(toolNameOf(server, tool.name));
      } finally {
        await close();
        await built.close();
      }
    }
  } finally {
    series.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return names.sort();
}
