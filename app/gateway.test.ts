/**
 * The gateway as `quantforge start` and `quantforge gateway` run it, over a store filled with the
 * recorded data: one port for /healthz, the login link, /api, /mcp/<server> and /files, with the
 * owner's credentials generated once into the data dir.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
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
});
