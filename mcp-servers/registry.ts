/**
 * The MCP servers by name (`quantforge mcp <name>`, HTTP `/mcp/<name>`), each built from the
 * shared services and a context resolver chosen by the transport.
 */
import { QuantForgeError } from '../core/errors.ts';
import { createBackfillServer } from './backfill/index.ts';
import { createChartingServer } from './charting/index.ts';
import type { BuiltServer, ContextResolver } from './common/index.ts';
import { createIndicatorsServer } from './indicators/index.ts';
import { createMarketDataServer } from './market-data/index.ts';
import { MCP_SERVER_NAMES, type McpServerName } from './server-names.ts';
import type { McpServices } from './services.ts';
import { createWorkspaceServer } from './workspace/index.ts';

export { MCP_SERVER_NAMES, type McpServerName } from './server-names.ts';

type Factory = (services: McpServices, resolveContext: ContextResolver) => BuiltServer;

const FACTORIES: Record<McpServerName, Factory> = {
  'market-data': (s, resolveContext) =>
    createMarketDataServer({
      market: s.market,
      series: s.series,
      watches: s.watches,
      resolveContext,
      logger: s.logger,
    }),
  indicators: (s, resolveContext) =>
    createIndicatorsServer({ market: s.market, series: s.series, resolveContext, logger: s.logger }),
  charting: (s, resolveContext) =>
    createChartingServer({ market: s.market, workspaces: s.workspaces, resolveContext, logger: s.logger }),
  backfill: (s, resolveContext) => {
    if (s.backfill === undefined) {
      throw new QuantForgeError(
        'the backfill server needs a backfill service in this process (quantforge mcp backfill, or quantforge start)',
      );
    }
    return createBackfillServer({ jobs: s.backfill, resolveContext, logger: s.logger });
  },
  workspace: (s, resolveContext) =>
    createWorkspaceServer({ workspaces: s.workspaces, market: s.market, resolveContext, logger: s.logger }),
};

/** `true` when `name` is a server this build has. */
export function isMcpServerName(name: string): name is McpServerName {
  return (MCP_SERVER_NAMES as readonly string[]).includes(name);
}

/** Builds server `name`. */
export function createNamedServer(
  name: McpServerName,
  services: McpServices,
  resolveContext: ContextResolver,
): BuiltServer {
  return FACTORIES[name](services, resolveContext);
}
