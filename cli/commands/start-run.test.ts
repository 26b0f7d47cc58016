import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Subscriber } from 'zeromq';
import { createStoreReader, parseStoreConfig } from '../../pipeline/store/index.ts';
import { EnvelopeCodec, TradeCodec } from '../../proto/index.ts';
import { until } from '../../test/support/index.ts';
import { runCliUntilReady } from './testing/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'qf-start-'));
const TOKEN = 'test-token-of-at-least-32-characters-x';
const secrets = join(dir, 'secrets.yaml');
writeFileSync(secrets, `mcp:\n  tokens:\n    "${TOKEN}":\n      userId: alice\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('quantforge start (the README first command)', () => {
  it('runs the platform on recorded data: live trades on ZeroMQ, bars in the store, clean stop on SIGTERM', async () => {
    const run = await runCliUntilReady(
      ['start', '--secrets', secrets],
      {
        ...process.env,
        QF_GATEWAY__PORT: '0',
        QF_STORE__DATA_DIR: dir,
        QF_VENUES__SOURCE: 'replay',
        QF_REALTIME__ZMQ__PUB_ENDPOINT: 'tcp://127.0.0.1:*',
      },
      60_000,
    );
    let exitCode: number | null;
    try {
      expect(run.stdout()).toContain('replaying recorded real data: Binance spot BTCUSDT');
      const endpoint = /ZeroMQ PUB at (\S+)/.exec(run.stdout())?.[1] ?? '';
      expect(endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);

      const sub = new Subscriber({ receiveTimeout: 20_000 });
      sub.connect(endpoint);
      sub.subscribe('trade.BINANCE.BTCUSDT');
      const [topic, payload] = await sub.receive();
      sub.close();
      expect(topic?.toString()).toBe('trade.BINANCE.BTCUSDT');
      const env = EnvelopeCodec.decode(new Uint8Array(payload ?? []));
      expect(env.seq).toBeGreaterThan(0);
      const trade = TradeCodec.decode(env.payload);
      // The recording is BTCUSDT on 2024-08-08/09, priced around 61,800 USDT.
      expect(Number(trade.price)).toBeGreaterThan(61_000);
      expect(Number(trade.price)).toBeLessThan(62_500);

      // The gateway: the printed one-time login link signs in, and the session reads the candles
      // the pipeline is storing from the recording.
      const loginUrl = /sign in once with (http:\/\/\S+\/login\?code=\S+)/.exec(run.stdout())?.[1] ?? '';
      const gatewayUrl = new URL(loginUrl).origin;
      expect((await fetch(`${gatewayUrl}/healthz`)).status).toBe(200);
      const login = await fetch(loginUrl, { redirect: 'manual' });
      expect(login.status).toBe(302);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      let closes: number[] = [];
      await until(
        async () => {
          const res = await fetch(`${gatewayUrl}/api/candles?symbol=BTCUSDT&interval=1m&limit=5`, {
            headers: { cookie },
          });
          expect(res.status).toBe(200);
          closes = ((await res.json()) as { bars: number[][] }).bars.map((b) => Number(b[4]));
          return closes.length > 0;
        },
        () => `/api/candles to return bars (last: ${closes.join(',')})`,
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      for (const close of closes) expect(close).toBeGreaterThan(61_000);

      // MCP over HTTP at the gateway answers from the running platform's store: 401 without a
      // token; tools and bars with the printed owner token, and with a token from secrets.yaml.
      const mcpUrl = /at (http:\/\/\S+)\/mcp\/<server>/.exec(run.stdout())?.[1] ?? '';
      expect(mcpUrl).toBe(gatewayUrl);
      const ownerToken = /Authorization: Bearer (\S+)/.exec(run.stdout())?.[1] ?? '';
      expect((await fetch(`${mcpUrl}/mcp/market-data`, { method: 'POST' })).status).toBe(401);
      const owner = new Client({ name: 'start-test-owner', version: '1' });
      await owner.connect(
        new StreamableHTTPClientTransport(new URL(`${mcpUrl}/mcp/market-data`), {
          requestInit: { headers: { Authorization: `Bearer ${ownerToken}` } },
        }),
      );
      expect((await owner.listTools()).tools.map((t) => t.name)).toContain('get_bars');
      await owner.close();
      const client = new Client({ name: 'start-test', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${mcpUrl}/mcp/market-data`), {
          requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
        }),
      );
      let text = '';
      // The summary and CSV carry the recording's prices (BTCUSDT around 61,800).
      await until(
        async () => {
          const result = (await client.callTool({
            name: 'get_bars',
            arguments: { symbol: 'BTCUSDT', period: '1m', bars: 5 },
          })) as CallToolResult;
          text = result.isError
            ? ''
            : result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
          return /\b61[0-9]{3}(\.[0-9]+)?\b/.test(text);
        },
        () => `get_bars to return bars (last answer: ${text})`,
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      await client.close();
    } finally {
      exitCode = await run.stop();
    }
    expect(exitCode).toBe(0);
    expect(run.stdout()).toContain('stopped.');
    const reader = await createStoreReader({}, parseStoreConfig({ dataDir: dir }));
    try {
      const bars = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m', limit: 10 });
      expect(bars.length).toBeGreaterThan(0);
      expect(bars[0]?.openTimeUs).toBe(Date.UTC(2024, 7, 8, 23, 54) * 1000);
    } finally {
      reader.close();
    }
  }, 120_000);
});
