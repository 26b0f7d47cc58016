/**
 * MCP latency: get_bars (last 500 1m bars) over streamable HTTP and over stdio beside the same store query called directly, and render_chart for 500 bars.
 *
 * Usage: npm run bench -- mcp [calls=200]
 * Fills a temp store from ../shared/data (BINANCE:XRPETH 1m bars from its recorded trades).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger } from '../core/logger.ts';
import { fixedContext } from '../mcp-servers/common/index.ts';
import { startMcpHttpServer } from '../mcp-servers/http.ts';
import { createNamedServer } from '../mcp-servers/registry.ts';
import { openMcpServices } from '../mcp-servers/services.ts';
import { filledTempStore } from '../mcp-servers/testing/fill-store.ts';
import { linkClient } from '../mcp-servers/testing/link-client.ts';
import { REPO_ROOT } from '../test/support/index.ts';

const calls = Number(process.argv[2] ?? 200);
const TOKEN = 'bench-token-0123456789abcdef';
const args = { symbol: 'XRPETH', period: '1m', bars: 500, rows: 50 };

async function measure(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  process.stdout.write(
    `${label.padEnd(44)} n=${String(n).padEnd(5)} p50 ${q(0.5).padStart(8)} ms   p99 ${q(0.99).padStart(8)} ms\n`,
  );
}

function check(r: CallToolResult): void {
  if (r.isError) throw new Error(JSON.stringify(r.content));
}

const store = await filledTempStore();
const services = await openMcpServices({
  dataDir: store.dir,
  logger: createLogger({ name: 'bench', level: 'warn' }),
});
const http = await startMcpHttpServer(services, {
  servers: ['market-data', 'charting'],
  tokens: { [TOKEN]: { userId: 'bench', workspaceIds: [] } },
  allowedHosts: ['127.0.0.1'],
  host: '127.0.0.1',
  port: 0,
});
const httpClient = new Client({ name: 'bench-http', version: '0' });
await httpClient.connect(
  new StreamableHTTPClientTransport(new URL(`${http.url}/mcp/market-data`), {
    requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
  }),
);
const stdioClient = new Client({ name: 'bench-stdio', version: '0' });
await stdioClient.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [resolve(REPO_ROOT, 'bin/quantforge.mjs'), 'mcp', 'market-data', '--data-dir', store.dir],
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>,
    stderr: 'inherit',
  }),
);
const charting = await linkClient(
  (
    await createNamedServer(
      'charting',
      services,
      fixedContext({ userId: 'bench', workspaceId: 'default', channel: 'bench', licence: 'local' }),
    )
  ).server,
);

try {
  process.stdout.write(`MCP bench: get_bars ${JSON.stringify(args)}; ${calls} calls after 20 warm-up\n`);
  await measure('store.getBars direct (500 x 1m)', calls, () =>
    services.market.getBars({ venue: 'BINANCE', symbol: 'XRPETH', period: '1m', limit: 500 }),
  );
  await measure('get_bars over streamable HTTP', calls, async () =>
    check((await httpClient.callTool({ name: 'get_bars', arguments: args })) as CallToolResult),
  );
  await measure('get_bars over stdio (separate process)', calls, async () =>
    check((await stdioClient.callTool({ name: 'get_bars', arguments: args })) as CallToolResult),
  );
  await measure(
    'render_chart 500 x 1m + EMA + RSI (in-process)',
    Math.max(10, Math.floor(calls / 10)),
    async () =>
      check(
        (await charting.client.callTool({
          name: 'render_chart',
          arguments: {
            symbol: 'XRPETH',
            period: '1m',
            bars: 500,
            indicators: [{ indicator: 'ema' }, { indicator: 'rsi' }],
          },
        })) as CallToolResult,
      ),
  );
} finally {
  await Promise.all([httpClient.close(), stdioClient.close(), charting.close()]);
  await http.close();
  services.close();
  store.cleanup();
}
