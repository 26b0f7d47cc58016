import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
import { createMcpHttpApp, type McpHttpServer, startMcpHttpServer } from './http.ts';
import { WORKSPACE_HEADER } from './http-auth.ts';
import { type McpServices, openMcpServices } from './services.ts';
import { stubMarket, textOf } from './testing/link-client.ts';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef';

describe('MCP over streamable HTTP', () => {
  let dir: string;
  let services: McpServices & { close(): void };
  let http: McpHttpServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qf-mcp-http-'));
    const opened = await openMcpServices({
      dataDir: dir,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    services = { ...opened, market: stubMarket(['BINANCE:BTCUSDT', 'BINANCE:ETHUSDT']) };
    http = await startMcpHttpServer(services, {
      servers: ['workspace'],
      tokens: {
        [ALICE]: { userId: 'alice', workspaceIds: ['main', 'scratch'] },
        [BOB]: { userId: 'bob', workspaceIds: [] },
      },
      allowedHosts: ['127.0.0.1', 'localhost'],
      host: '127.0.0.1',
      port: 0,
    });
  });
  afterAll(async () => {
    await http.close();
    services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connect(
    token: string,
    workspace?: string,
  ): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (workspace !== undefined) headers[WORKSPACE_HEADER] = workspace;
    const transport = new StreamableHTTPClientTransport(new URL(`${http.url}/mcp/workspace`), {
      requestInit: { headers },
    });
    const client = new Client({ name: 'http-test', version: '0' });
    await client.connect(transport);
    return { client, transport };
  }

  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  });
  const post = (headers: Record<string, string>, path = '/mcp/workspace') =>
    fetch(`${http.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...headers,
      },
      body: initialize,
    });

  it('answers 401 without a token and with an unknown one', async () => {
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await post({ authorization: 'Bearer not-a-token-at-all-xxxx' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${ALICE}` })).status).toBe(200);
  });

  it('refuses a Host or Origin not in the allowed list (DNS rebinding)', async () => {
    // fetch cannot set Host; node:http can.
    const evilHost = await new Promise<number>((done, fail) => {
      const req = request(`${http.url}/mcp/workspace`, {
        method: 'POST',
        headers: {
          host: 'evil.example',
          authorization: `Bearer ${ALICE}`,
          'content-type': 'application/json',
        },
      });
      req.on('response', (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      });
      req.on('error', fail);
      req.end(initialize);
    });
    expect(evilHost).toBe(403);
    const evilOrigin = await post({ authorization: `Bearer ${ALICE}`, origin: 'http://evil.example' });
    expect(evilOrigin.status).toBe(403);
    expect((await post({ authorization: `Bearer ${ALICE}` }, '/mcp/nope')).status).toBe(404);
  });

  it("keeps users apart: alice's token never reaches bob's workspace", async () => {
    const bob = await connect(BOB);
    const set = (await bob.client.callTool({
      name: 'set_chart',
      arguments: { symbol: 'ETHUSDT', period: '4h' },
    })) as CallToolResult;
    expect(textOf(set)).toContain('Chart set');
    const alice = await connect(ALICE);
    const seen = (await alice.client.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult;
    expect(textOf(seen)).toContain('Workspace main.');
    expect(textOf(seen)).toContain('Chart: none set');
    await alice.client.callTool({ name: 'set_chart', arguments: { symbol: 'BTCUSDT', period: '1m' } });
    const bobAgain = (await bob.client.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult;
    expect(textOf(bobAgain)).toContain('BINANCE:ETHUSDT 4h');

    // Alice cannot name bob's (default) workspace, and bob's session id is dead to her token.
    expect((await post({ authorization: `Bearer ${ALICE}`, [WORKSPACE_HEADER]: 'default' })).status).toBe(
      403,
    );
    const hijack = await fetch(`${http.url}/mcp/workspace`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ALICE}`,
        'mcp-session-id': bob.transport.sessionId!,
        'mcp-protocol-version': '2025-06-18',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'get_workspace', arguments: {} },
      }),
    });
    expect(hijack.status).toBe(404);

    // A granted second workspace of alice's is its own state.
    const scratch = await connect(ALICE, 'scratch');
    expect(
      textOf((await scratch.client.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult),
    ).toContain('Workspace scratch. Chart: none set');
    await Promise.all([bob.client.close(), alice.client.close(), scratch.client.close()]);
  });

  it('closes sessions left idle past sessionIdleMs', async () => {
    let t = 0;
    const app = createMcpHttpApp(services, {
      servers: ['workspace'],
      tokens: { [ALICE]: { userId: 'alice', workspaceIds: ['main'] } },
      allowedHosts: ['localhost'],
      sessionIdleMs: 1000,
      now: () => t,
    });
    const headers = {
      host: 'localhost',
      authorization: `Bearer ${ALICE}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const init = await app.app.request('/mcp/workspace', { method: 'POST', headers, body: initialize });
    expect(init.status).toBe(200);
    const id = init.headers.get('mcp-session-id')!;
    expect(app.sessions()).toBe(1);
    t = 5000;
    const late = await app.app.request('/mcp/workspace', {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(late.status).toBe(404);
    expect(app.sessions()).toBe(0);
  });

  it('returns isError naming the field for bad arguments, and keeps serving', async () => {
    const { client } = await connect(ALICE);
    const bad = (await client.callTool({
      name: 'remove_indicator',
      arguments: { id: 'i42' },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^id: no indicator "i42"/);
    const wrongType = (await client.callTool({
      name: 'set_chart',
      arguments: { bars: 'many' },
    })) as CallToolResult;
    expect(wrongType.isError).toBe(true);
    expect(textOf(wrongType)).toContain('bars');
    expect(
      ((await client.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult).isError,
    ).toBeFalsy();
    await client.close();
  });
});
