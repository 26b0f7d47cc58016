import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import type { RequestContext } from '../../mcp-servers/common/index.ts';
import { type McpHttpServer, startMcpHttpServer } from '../../mcp-servers/http.ts';
import { type McpServices, openMcpServices } from '../../mcp-servers/services.ts';
import { stubMarket } from '../../mcp-servers/testing/link-client.ts';
import { httpConnector } from './connectors.ts';
import { createMcpToolHost } from './tool-host.ts';
import type { ToolOutcome } from './types.ts';

const TOKENS: Record<string, string> = {
  alice: 'alice-token-0123456789abcdef',
  bob: 'bob-token-0123456789abcdef',
};
const alice: RequestContext = { userId: 'alice', workspaceId: 'main', channel: 'web', licence: 'pro' };
const bob: RequestContext = { userId: 'bob', workspaceId: 'default', channel: 'web', licence: 'pro' };

const textOf = (o: ToolOutcome) => o.content.map((b) => (b.type === 'text' ? b.text : '')).join('\n');

describe('MCP tool host over streamable HTTP', () => {
  let dir: string;
  let services: McpServices & { close(): void };
  let http: McpHttpServer;
  const connector = () =>
    httpConnector('workspace', { url: http.url, tokenFor: (ctx) => TOKENS[ctx.userId] ?? 'no-token' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qf-agent-http-'));
    const opened = await openMcpServices({
      dataDir: dir,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    services = { ...opened, market: stubMarket(['BINANCE:BTCUSDT', 'BINANCE:ETHUSDT']) };
    http = await startMcpHttpServer(services, {
      servers: ['workspace'],
      tokens: {
        [TOKENS.alice!]: { userId: 'alice', workspaceIds: ['main'] },
        [TOKENS.bob!]: { userId: 'bob', workspaceIds: [] },
      },
      allowedHosts: ['127.0.0.1'],
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(async () => {
    await http.close();
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the server's tools and acts for the token's user, whatever the arguments", async () => {
    const a = createMcpToolHost({ servers: [connector()] }, alice);
    const b = createMcpToolHost({ servers: [connector()] }, bob);
    try {
      expect((await a.list()).map((t) => t.name)).toContain('mcp__workspace__get_workspace');
      expect((await a.call('mcp__workspace__set_chart', { symbol: 'BTCUSDT' })).isError).toBe(false);
      expect((await b.call('mcp__workspace__set_chart', { symbol: 'ETHUSDT' })).isError).toBe(false);
      const seenByB = await b.call('mcp__workspace__get_workspace', { userId: 'alice', workspaceId: 'main' });
      expect(seenByB.isError).toBe(false);
      expect(textOf(seenByB)).toContain('ETHUSDT');
      expect(textOf(seenByB)).not.toContain('BTCUSDT');
      expect(textOf(await a.call('mcp__workspace__get_workspace', {}))).toContain('BTCUSDT');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('is refused a workspace the token does not grant, and says so', async () => {
    const host = createMcpToolHost({ servers: [connector()] }, { ...alice, workspaceId: 'someone-elses' });
    const outcome = await host.call('mcp__workspace__get_workspace', {});
    expect(outcome.isError).toBe(true);
    expect(textOf(outcome)).toMatch(/could not reach MCP server "workspace".*(403|not granted)/s);
    await host.close();
  });

  it('ends its HTTP session on close: the session id no longer answers', async () => {
    let sessionId: string | null = null;
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      sessionId ??= response.headers.get('mcp-session-id');
      return response;
    };
    const host = createMcpToolHost(
      {
        servers: [
          httpConnector('workspace', { url: http.url, tokenFor: () => TOKENS.alice!, fetch: recording }),
        ],
      },
      alice,
    );
    await host.list();
    await host.close();
    expect(sessionId).not.toBeNull();
    const after = await fetch(`${http.url}/mcp/workspace`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKENS.alice}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId!,
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }),
    });
    expect(after.status).toBe(404);
  });
});
