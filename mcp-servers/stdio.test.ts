import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textOf } from './common/testing.ts';
import { filledTempStore } from './testing/fill-store.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');

describe('quantforge mcp workspace over stdio (separate process)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(async () => {
    ({ dir, cleanup } = await filledTempStore());
  });
  afterAll(() => cleanup());

  function spawnClient(user: string) {
    return new StdioClientTransport({
      command: process.execPath,
      args: ['bin/quantforge.mjs', 'mcp', 'workspace', '--data-dir', dir, '--user', user],
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>,
      stderr: 'pipe',
    });
  }

  it('lists and calls the workspace tools, and the state survives a restart', async () => {
    const client = new Client({ name: 'stdio-contract', version: '0' });
    await client.connect(spawnClient('carol'));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('add_drawing');
    await client.callTool({ name: 'set_chart', arguments: { symbol: 'BTC/USDT', period: '1h' } });
    const unknown = (await client.callTool({
      name: 'set_chart',
      arguments: { symbol: 'BTCUSD' },
    })) as CallToolResult;
    expect(textOf(unknown)).toMatch(/^symbol: unknown symbol on BINANCE "BTCUSD"; closest: BTCUSDT/);
    await client.callTool({ name: 'add_drawing', arguments: { drawing: { type: 'hline', price: 60000 } } });
    const bad = (await client.callTool({
      name: 'set_chart',
      arguments: { period: 'weekly' },
    })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/^period: "weekly" is not a period; valid: /);
    await client.close();

    const again = new Client({ name: 'stdio-contract', version: '0' });
    await again.connect(spawnClient('carol'));
    const ws = (await again.callTool({ name: 'get_workspace', arguments: {} })) as CallToolResult;
    expect(textOf(ws)).toContain('Chart: BINANCE:BTCUSDT 1h');
    expect(textOf(ws)).toContain('d1 hline 60000');
    await again.close();
  }, 60_000);
});
