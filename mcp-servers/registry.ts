/**
 * The MCP servers by name (`quantforge mcp <name>`, HTTP `/mcp/<name>`), each built from the
 * shared services and a context resolver chosen by the transport. A server's modules load when
 * it is first built, so a process serving one server (stdio) loads only that one.
 */
import { QuantForgeError } from '../core/errors.ts';
import type { BuiltServer, ContextResolver } from './common/index.ts';
import type { AlertToolsDeps } from './market-data/deps.ts';
import { MCP_SERVER_NAMES, type McpServerName } from './server-names.ts';
import type { McpServices } from './services.ts';

export { MCP_SERVER_NAMES, type McpServerName } from './server-names.ts';

/** The alert rules of the services with their per-licence limit, as every channel that creates alerts uses them. */
export function alertToolsOf(s: McpServices): AlertToolsDeps {
  return {
    rules: s.alerts,
    workspaces: s.workspaces,
    limitOf: (licence) => (Object.hasOwn(s.alertLimits, licence) ? (s.alertLimits[licence] ?? 0) : 0),
  };
}

type Factory = (services: McpServices, resolveContext: ContextResolver) => Promise<BuiltServer>;

const FACTORIES: Record<McpServerName, Factory> = {
  'market-data': async (s, resolveContext) =>
    (await import('./market-data/index.ts')).createMarketDataServer({
      market: s.market,
      series: s.series,
      watches: s.watches,
      alerts: alertToolsOf(s),
      resolveContext,
      logger: s.logger,
    }),
  indicators: async (s, resolveContext) =>
    (await import('./indicators/index.ts')).createIndicatorsServer({
      market: s.market,
      series: s.series,
      resolveContext,
      logger: s.logger,
    }),
  charting: async (s, resolveContext) =>
    (await import('./charting/index.ts')).createChartingServer({
      market: s.market,
      workspaces: s.workspaces,
      resolveContext,
      logger: s.logger,
    }),
  backfill: async (s, resolveContext) => {
    if (s.backfill === undefined) {
      throw new QuantForgeError(
        'the backfill server needs a backfill service in this process (quantforge mcp backfill, or quantforge start)',
      );
    }
    const { createBackfillServer } = await import('./backfill/index.ts');
    return createBackfillServer({ jobs: s.backfill, resolveContext, logger: s.logger });
  },
  workspace: async (s, resolveContext) =>
    (await import('./workspace/index.ts')).createWorkspaceServer({
      workspaces: s.workspaces,
      market: s.market,
      resolveContext,
      logger: s.logger,
    }),
  research: async (s, resolveContext) => {
    const { createResearchServer, openResearchService } = await import('./research/index.ts');
    // Services opened without a research part (tests, tool listings) get one over the data dir, without a sweeper.
    const own =
      s.research === undefined ? openResearchService({ dataDir: s.dataDir, sweepEveryMs: 0 }) : undefined;
    const built = createResearchServer({ research: s.research ?? own!, resolveContext, logger: s.logger });
    return {
      server: built.server,
      close: async () => {
        await built.close();
        own?.close();
      },
    };
  },
};

/** `true` when `name` is a server this build has. */
export function isMcpServerName(name: string): name is McpServerName {
  return (MCP_SERVER_NAMES as readonly string[]).includes(name);
}

/** Builds server `name` (loading its modules the first time). */
export function createNamedServer(
  name: McpServerName,
  services: McpServices,
  resolveContext: ContextResolver,
): Promise<BuiltServer> {
  return FACTORIES[name](services, resolveContext);
}
