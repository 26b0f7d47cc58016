/**
 * The gateway as `quantforge start` and `quantforge gateway` run it, over a store filled with the
 * recorded data: one port for /healthz, the login link, /api, /mcp/<server> and /files, with the
 * owner's credentials generated once into the data dir.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../core/logger.ts';
import { createApiRoutes } from '../gateway/api/index.ts';
import type { McpServices } from '../mcp-servers/services.ts';
import { openTestServices } from '../mcp-servers/testing/services.ts';
import { configSchema, secretsSchema } from './config/index.ts';
import { type RunningGateway, startGateway } from './gateway.ts';

const logger = createLogger({ name: 'gateway-test', level: 'silent' });
const ALICE = 'alice-token-of-at-least-32-characters';
let services: McpServices;
let cleanup: () => void;
beforeAll(async () => {
  ({ services, cleanup } = await openTestServices());
});
afterAll(() => cleanup());

const config = configSchema.parse({ gateway: { port: 0 } });
const secrets = secretsSchema.parse({ mcp: { tokens: { [ALICE]: { userId: 'alice' } } } });
const start = (): Promise<RunningGateway> =>
  startGateway({ logger, services }, config, secrets, {
    liveEndpoint: config.realtime.zmq.pubEndpoint,
    servers: ['market-data', 'workspace'],
  });

async function signIn(gateway: RunningGateway): Promise<string> {
  const login = await fetch(gateway.loginUrl, { redirect: 'manual' });
  expect(login.status).toBe(302);
  return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/** The status a WebSocket upgrade to `url` is refused with, or 101 when accepted. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
  });
}

/** The first message of a WebSocket accepted with `headers` (the `hello`, then the workspace). */
function wsMessages(url: string, headers: Record<string, string>, count: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const got: unknown[] = [];
    ws.on('message', (data) => {
      got.push(JSON.parse(String(data)));
      if (got.length === count) {
        ws.close();
        resolve(got);
      }
    });
    ws.on('error', reject);
  });
}

describe('startGateway', () => {
  it('keeps the generated owner token across starts and prints a fresh login link each time', async () => {
    const first = await start();
    const cookie = await signIn(first);
    await first.stop();
    const second = await start();
    try {
      expect(second.mcpToken).toBe(first.mcpToken);
      expect(second.loginUrl).not.toBe(first.loginUrl);
      expect(second.loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?code=[A-Za-z0-9_-]{43}$/);
      // A session signed before the restart is still good: the secret was kept too.
      expect((await fetch(`${second.url}/api/symbols`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('signs the owner in with the login link; the session reads the stored candles, once', async () => {
    const gateway = await start();
    try {
      expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`${gateway.url}/api/candles?symbol=BTCUSDT&interval=1m`)).status).toBe(401);
      const cookie = await signIn(gateway);
      const candles = await fetch(`${gateway.url}/api/candles?symbol=BTCUSDT&interval=1m&limit=5`, {
        headers: { cookie },
      });
      expect(candles.status).toBe(200);
      const body = (await candles.json()) as { bars: number[][] };
      expect(body.bars).toHaveLength(5);
      // The recording is BTCUSDT on 2024-08-08/09, priced around 61,800 USDT.
      for (const bar of body.bars) expect(Number(bar[4])).toBeGreaterThan(61_000);
      // The page: index.html or the not-built note for the session, /welcome for anyone else.
      expect((await fetch(`${gateway.url}/`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${gateway.url}/`, { redirect: 'manual' })).headers.get('location')).toBe(
        '/welcome',
      );
      // The link works once.
      expect((await fetch(gateway.loginUrl, { redirect: 'manual' })).status).toBe(401);
    } finally {
      await gateway.stop();
    }
  });

  it('serves MCP at /mcp/<server> on the same port: 401 without a token, tools with the owner’s or a configured one', async () => {
    const gateway = await start();
    try {
      const refused = await fetch(`${gateway.url}/mcp/market-data`, { method: 'POST' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      for (const token of [gateway.mcpToken, ALICE]) {
        const client = new Client({ name: 'gateway-test', version: '1' });
        await client.connect(
          new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp/market-data`), {
            requestInit: { headers: { Authorization: `Bearer ${token}` } },
          }),
        );
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain('get_bars');
        await client.close();
      }
      // The MCP token is also a gateway credential for the HTTP API.
      const symbols = await fetch(`${gateway.url}/api/symbols`, {
        headers: { Authorization: `Bearer ${gateway.mcpToken}` },
      });
      expect(symbols.status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });

  it('serves a temporary file to its owner only', async () => {
    const gateway = await start();
    try {
      const stored = await gateway.files.put('owner', new Uint8Array([1, 2, 3]), 'image/png');
      const own = await fetch(`${gateway.url}${stored.path}`, { headers: { cookie: await signIn(gateway) } });
      expect(own.status).toBe(200);
      expect(new Uint8Array(await own.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
      const other = await fetch(`${gateway.url}${stored.path}`, {
        headers: { Authorization: `Bearer ${ALICE}` },
      });
      expect(other.status).toBe(404);
    } finally {
      await gateway.stop();
    }
  });

  it('answers 401 without a credential on every API route, /files, /mcp and /ws; keeps users and origins apart', async () => {
    const gateway = await start();
    try {
      // Every route the API registers (so a new one is covered without editing this list).
      const api = createApiRoutes({ market: services.market, workspaces: services.workspaces });
      const routes = api.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => ({ method: r.method, path: `/api${r.path.replace(/:[^/]+/g, 'x')}` }));
      expect(routes.length).toBeGreaterThanOrEqual(6);
      for (const { method, path } of [
        ...routes,
        { method: 'GET', path: '/files/x' },
        { method: 'POST', path: '/mcp/workspace' },
      ]) {
        const res = await fetch(`${gateway.url}${path}`, {
          method,
          ...(method === 'PUT' || method === 'POST' ? { body: '{}' } : {}),
        });
        expect(res.status, `${method} ${path}`).toBe(401);
      }
      const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/ws`;
      expect(await upgradeStatus(wsUrl, {})).toBe(401);

      // The owner's drawing stays the owner's: Alice's token reads her own workspace, over HTTP
      // and over the WebSocket.
      const cookie = await signIn(gateway);
      const put = await fetch(`${gateway.url}/api/workspace/drawings`, {
        method: 'PUT',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ drawing: { type: 'hline', price: 12345.5, label: 'owner only' } }),
      });
      expect(put.status).toBe(201);
      const alice = { Authorization: `Bearer ${ALICE}` };
      const hers = await (await fetch(`${gateway.url}/api/workspace`, { headers: alice })).text();
      expect(hers).not.toContain('owner only');
      const [hello, workspace] = await wsMessages(wsUrl, alice, 2);
      expect(hello).toMatchObject({ type: 'hello', userId: 'alice' });
      expect(JSON.stringify(workspace)).not.toContain('owner only');
      const [, own] = await wsMessages(wsUrl, { cookie }, 2);
      expect(JSON.stringify(own)).toContain('owner only');

      // A page of another site cannot use the owner's session, over HTTP or the WebSocket.
      const foreign = { cookie, Origin: 'https://evil.example' };
      expect((await fetch(`${gateway.url}/api/workspace`, { headers: foreign })).status).toBe(403);
      expect(await upgradeStatus(wsUrl, foreign)).toBe(403);
      expect(await upgradeStatus(wsUrl, { cookie, Origin: gateway.url })).toBe(101);
    } finally {
      await gateway.stop();
    }
  });
});
