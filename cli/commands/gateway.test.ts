import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsPath } from '../../app/credentials.ts';
import { filledTempStore } from '../../mcp-servers/testing/fill-store.ts';
import { BIN, runCliUntilReady } from './testing/run-cli.ts';

let store: Awaited<ReturnType<typeof filledTempStore>>;
beforeAll(async () => {
  store = await filledTempStore();
}, 60_000);
afterAll(() => store.cleanup());

/** Runs `quantforge gateway` on a free port until it prints its banner; returns it and a stop. */
const runGateway = () =>
  runCliUntilReady(
    ['gateway', '--data-dir', store.dir, '--port', '0'],
    { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    30_000,
  );

describe('quantforge gateway', () => {
  it('serves the store in the data dir, keeps its owner token across runs, and stops on SIGTERM', async () => {
    const first = await runGateway();
    const loginUrl = /sign in once with (http:\/\/\S+)/.exec(first.stdout())?.[1] ?? '';
    const token = /Authorization: Bearer (\S+)/.exec(first.stdout())?.[1] ?? '';
    const url = new URL(loginUrl).origin;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const symbols = await fetch(`${url}/api/symbols`, { headers: { Authorization: `Bearer ${token}` } });
    expect(symbols.status).toBe(200);
    expect(JSON.stringify(await symbols.json())).toContain('BTCUSDT');
    expect(await first.stop()).toBe(0);
    expect(first.stdout()).toContain('stopped.');
    expect(statSync(credentialsPath(store.dir)).mode & 0o777).toBe(0o600);

    // claude-config --http points HTTP clients at the gateway with the same owner token.
    const config = spawnSync(
      process.execPath,
      [BIN, 'mcp', 'claude-config', '--http', url, '--data-dir', store.dir],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } },
    );
    expect(config.status).toBe(0);
    const entries = JSON.parse(config.stdout) as {
      mcpServers: Record<string, { type: string; url: string; headers: { Authorization: string } }>;
    };
    expect(entries.mcpServers['quantforge-market-data']).toEqual({
      type: 'http',
      url: `${url}/mcp/market-data`,
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(Object.keys(entries.mcpServers)).not.toContain('quantforge-backfill');

    const second = await runGateway();
    expect(/Authorization: Bearer (\S+)/.exec(second.stdout())?.[1]).toBe(token);
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
