/**
 * Agent tool calls: get_workspace and list_indicators through the agents' MCP tool host (in process) beside the same handler called directly and a bare MCP client, and the per-turn cost of a host (list, one call, close) with and without a tool catalog.
 *
 * Usage: npm run bench -- agents-tools [calls=2000]
 * Over an empty temp data dir (these tools read no market data).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  createMcpToolHost,
  createToolCatalog,
  inProcessConnector,
  type ToolOutcome,
} from '../agents/tools/index.ts';
import { createLogger } from '../core/logger.ts';
import { fixedContext, type RequestContext, type ToolExtra } from '../mcp-servers/common/index.ts';
import { registerListIndicatorsTool } from '../mcp-servers/indicators/tools/list-indicators.ts';
import { createNamedServer, type McpServerName } from '../mcp-servers/registry.ts';
import { openMcpServices } from '../mcp-servers/services.ts';
import { linkClient, stubMarket } from '../mcp-servers/testing/link-client.ts';
import { registerGetWorkspaceTool } from '../mcp-servers/workspace/tools/get-workspace.ts';

const calls = Number(process.argv[2] ?? 2000);
const ctx: RequestContext = { userId: 'bench', workspaceId: 'main', channel: 'agent', licence: 'pro' };
const SERVERS: McpServerName[] = ['market-data', 'indicators', 'charting', 'workspace'];

async function measure(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(200, n); i++) await fn();
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times[i] = performance.now() - t0;
  }
  times.sort();
  const q = (p: number) => times[Math.min(n - 1, Math.floor(p * n))]!.toFixed(3);
  process.stdout.write(
    `${label.padEnd(56)} n=${String(n).padEnd(6)} p50 ${q(0.5).padStart(8)} ms   p99 ${q(0.99).padStart(8)} ms\n`,
  );
}

type Handler = (args: Record<string, unknown>, extra: ToolExtra) => Promise<CallToolResult>;

/** The handler a `registerXTool` registers, captured without a server. */
function handlerOf(register: (server: McpServer) => void): Handler {
  let handler: Handler | undefined;
  register({
    registerTool: (_name: string, _config: unknown, h: Handler) => {
      handler = h;
    },
  } as unknown as McpServer);
  if (handler === undefined) throw new Error('no handler registered');
  return handler;
}

function check(r: CallToolResult | ToolOutcome): void {
  if (r.isError) throw new Error(JSON.stringify(r.content));
}

const dir = mkdtempSync(join(tmpdir(), 'qf-bench-agent-tools-'));
const opened = await openMcpServices({
  dataDir: dir,
  logger: createLogger({ name: 'bench', level: 'warn' }),
});
const services = { ...opened, market: stubMarket(['BINANCE:BTCUSDT']) };
const extra = {} as ToolExtra;
const resolveContext = fixedContext(ctx);

const getWorkspace = handlerOf((s) =>
  registerGetWorkspaceTool(s, { workspaces: services.workspaces, resolveContext }),
);
const listIndicators = handlerOf((s) =>
  registerListIndicatorsTool(s, { market: services.market, series: services.series, resolveContext }),
);
const bare = await linkClient((await createNamedServer('workspace', services, resolveContext)).server);
const bareIndicators = await linkClient(
  (await createNamedServer('indicators', services, resolveContext)).server,
);
await bare.client.listTools();
await bareIndicators.client.listTools();
const host = createMcpToolHost({ servers: SERVERS.map((s) => inProcessConnector(s, services)) }, ctx);
await host.list();

try {
  process.stdout.write(`agents-tools bench: ${calls} calls after warm-up; Node ${process.version}\n`);
  await measure('get_workspace handler direct (baseline)', calls, async () =>
    check(await getWorkspace({}, extra)),
  );
  await measure('get_workspace bare MCP client (in-memory)', calls, async () =>
    check((await bare.client.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult),
  );
  await measure('mcp__workspace__get_workspace via tool host', calls, async () =>
    check(await host.call('mcp__workspace__get_workspace', {})),
  );
  await measure('list_indicators handler direct (baseline)', calls, async () =>
    check(await listIndicators({}, extra)),
  );
  await measure('list_indicators bare MCP client (in-memory)', calls, async () =>
    check(
      (await bareIndicators.client.callTool({ name: 'list_indicators', arguments: {} })) as CallToolResult,
    ),
  );
  await measure('mcp__indicators__list_indicators via tool host', calls, async () =>
    check(await host.call('mcp__indicators__list_indicators', {})),
  );
  const turns = Math.max(20, Math.floor(calls / 20));
  const connectors = SERVERS.map((s) => inProcessConnector(s, services));
  const catalog = createToolCatalog();
  const turn = async (withCatalog: boolean) => {
    const h = createMcpToolHost({ servers: connectors, ...(withCatalog ? { catalog } : {}) }, ctx);
    await h.list();
    check(await h.call('mcp__workspace__get_workspace', {}));
    await h.close();
  };
  await measure('per turn, no catalog: list 4 servers, 1 call, close', turns, () => turn(false));
  await measure('per turn, with catalog: list 4 servers, 1 call, close', turns, () => turn(true));
} finally {
  await Promise.all([host.close(), bare.close(), bareIndicators.close()]);
  opened.close();
  rmSync(dir, { recursive: true, force: true });
}
