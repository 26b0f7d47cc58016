/**
 * `quantforge mcp backfill` in its own process, its Binance REST base URL pointed at the venue
 * simulator (replaying the recorded BTCUSDT trades): a job fills the empty store and the bars
 * it wrote are what the store then answers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreReader, parseStoreConfig } from '../../pipeline/store/index.ts';
import { createVenueSimulator, type VenueSimulator } from '../../pipeline/venues/simulator/index.ts';
import { REPO_ROOT, recordedData, until } from '../../test/support/index.ts';
import { textOf } from '../testing/link-client.ts';

describe('quantforge mcp backfill over stdio against the venue simulator', () => {
  let sim: VenueSimulator;
  let dir: string;
  let client: Client;
  beforeAll(async () => {
    sim = createVenueSimulator(
      {},
      {
        exchangeInfo: recordedData('rest', 'binance-spot-exchange-info-20211022.json'),
        csv: [
          {
            symbol: 'BTCUSDT',
            kind: 'trades',
            path: recordedData('trades', 'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz'),
          },
        ],
      },
    );
    await sim.start();
    dir = mkdtempSync(join(tmpdir(), 'qf-mcp-backfill-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      `venues:\n  binance:\n    - market: spot\n      symbols: [BTCUSDT]\n      restBaseUrl: ${sim.restUrl}\n`,
    );
    client = new Client({ name: 'backfill-contract', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [
          resolve(REPO_ROOT, 'bin/quantforge.mjs'),
          'mcp',
          'backfill',
          '--config',
          join(dir, 'config.yaml'),
          '--data-dir',
          join(dir, 'data'),
        ],
        cwd: REPO_ROOT,
        env: { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>,
        stderr: 'pipe',
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await client.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;

  it('fills 1m bars, reports progress to done, and the store then holds them', async () => {
    const queued = textOf(
      await call('request_backfill', {
        symbol: 'BTCUSDT',
        from: '2024-08-08T23:54:00Z',
        to: '2024-08-09T00:06:00Z',
      }),
    );
    const jobId = /Job (\S+) /.exec(queued)![1]!;
    let status = '';
    await until(
      async () => {
        status = textOf(await call('backfill_status', { job_id: jobId }));
        return / (done|failed|cancelled):/.test(status);
      },
      () => `job ${jobId} to end (last status: ${status})`,
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    expect(status).toMatch(
      / done: BINANCE:BTCUSDT bars 1m 2024-08-08T23:54:00Z\.\.2024-08-09T00:06:00Z; 100% .*12 gap\(s\) found, 12 item\(s\) written/,
    );
    const reader = await createStoreReader({}, parseStoreConfig({ dataDir: join(dir, 'data') }));
    try {
      const bars = await reader.getBars({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m', limit: 100 });
      expect(bars).toHaveLength(12);
      expect(bars[0]!.open).toBe('61837.63');
    } finally {
      reader.close();
    }
  }, 60_000);

  it("refuses a range before the symbol's earliest time, naming the field", async () => {
    const r = await call('request_backfill', { symbol: 'BTCUSDT', from: '2024-08-01', to: '2024-08-09' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^from: BTCUSDT on BINANCE has no data before its earliest time 2024-08-08T23:54:00/,
    );
  }, 30_000);
});
