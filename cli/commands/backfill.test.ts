/** `quantforge backfill` as a user runs it: a config whose Binance REST base URL is the venue simulator. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../pipeline/backfill/testing/index.ts';
import type { VenueSimulator } from '../../pipeline/venues/simulator/index.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../../bin/quantforge.mjs');
const dir = mkdtempSync(join(tmpdir(), 'qf-cli-backfill-'));
let sim: VenueSimulator;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const common = ['--config', join(dir, 'config.yaml'), '--data-dir', join(dir, 'data')];
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'backfill', ...args, ...common]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  sim = await startSimulator();
  writeFileSync(
    join(dir, 'config.yaml'),
    `venues:\n  binance:\n    - market: spot\n      symbols: [BTCUSDT]\n      restBaseUrl: ${sim.restUrl}\n`,
  );
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

const range = [
  '--venue',
  'BINANCE',
  '--symbol',
  'BTCUSDT',
  '--from',
  '2024-08-08T23:54:00Z',
  '--to',
  '2024-08-09T00:06:00Z',
];

describe('quantforge backfill', () => {
  it('fills 1m bars from the configured REST base URL, then finds nothing left to do', async () => {
    const first = await cli(...range);
    expect(first.stderr).toContain('backfill BINANCE BTCUSDT bars: 0/100 queued');
    expect(first.stdout).toContain('gaps found: 12 missing bars, items written: 12, requests: 1');
    expect(first.code).toBe(0);
    const second = await cli(...range);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('gaps found: 0 missing bars, items written: 0, requests: 0');
  }, 60_000);

  it('says what was wrong and what is valid', async () => {
    const before = await cli(
      '--venue',
      'BINANCE',
      '--symbol',
      'BTCUSDT',
      '--from',
      '2024-08-01',
      '--to',
      '2024-08-09',
    );
    expect(before.code).toBe(2);
    expect(before.stderr).toContain(
      '--from: BTCUSDT on BINANCE has no data before its earliest time 2024-08-08T23:54:00.000Z',
    );
    const dataset = await cli(...range, '--dataset', 'quotes');
    expect(dataset.code).toBe(2);
    expect(dataset.stderr).toContain('--dataset: expected one of bars, trades (got "quotes")');
  }, 60_000);
});
