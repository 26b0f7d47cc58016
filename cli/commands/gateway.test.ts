import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsPath } from '../../app/credentials.ts';
import { filledTempStore } from '../../mcp-servers/testing/fill-store.ts';
import { until } from '../../test/support/index.ts';

const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');
let store: Awaited<ReturnType<typeof filledTempStore>>;
beforeAll(async () => {
  store = await filledTempStore();
}, 60_000);
afterAll(() => store.cleanup());

/** Runs `quantforge gateway` on a free port until it prints its banner; returns it and a stop. */
async function runGateway(): Promise<{ stdout: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'gateway', '--data-dir', store.dir, '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await until(
    () => {
      if (child.exitCode !== null) throw new Error(`gateway exited:\n${stdout}\n${stderr}`);
      return stdout.includes('Ctrl-C to stop.');
    },
    () => `gateway to come up:\n${stdout}\n${stderr}`,
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return {
    stdout: () => stdout,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

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
