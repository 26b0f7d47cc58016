/**
 * `quantforge backfill --bus kafka` as a user runs it, on the real local broker: the CLI binary,
 * a config whose Binance REST base URL is the venue simulator (serving the recorded BTCUSDT spot
 * trades of ../shared/data), and the same job run on the embedded bus into another data dir.
 * The stores must hold the same bars (and trades), and a second Kafka run must write nothing.
 *
 * Isolation: the child runs with `QF_BUS__KAFKA__NAMESPACE` (config key `bus.kafka.namespace`)
 * set to a fresh name, which puts its Kafka topics, groups and transactional ids under it;
 * they are deleted after.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger, startSimulator } from '../../pipeline/backfill/testing/index.ts';
import { testBrokers, uniqueName } from '../../pipeline/bus/testing/index.ts';
import { createStoreReader, parseStoreConfig } from '../../pipeline/store/index.ts';
import type { VenueSimulator } from '../../pipeline/venues/simulator/index.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/quantforge.mjs');
const TRADE_COUNT = 19_904;
const dir = mkdtempSync(join(tmpdir(), 'qf-cli-backfill-kafka-'));
const namespaces: string[] = [];
let sim: VenueSimulator;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `quantforge backfill <args>` into `dataDir`; on Kafka under namespace `ns`. */
async function backfill(
  dataDir: string,
  args: string[],
  kafka?: { ns: string; brokers?: string },
): Promise<Run> {
  const common = ['--config', join(dir, 'config.yaml'), '--data-dir', join(dir, dataDir)];
  const bus = kafka ? ['--bus', 'kafka'] : [];
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    ...(kafka
      ? { QF_BUS__KAFKA__NAMESPACE: kafka.ns, KAFKA_BROKERS: kafka.brokers ?? testBrokers().join(',') }
      : {}),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'backfill', ...args, ...bus, ...common], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as Run;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The stored 1m bars and the trades of BTCUSDT in `dataDir`. */
async function stored(dataDir: string) {
  const reader = await createStoreReader({ logger }, parseStoreConfig({ dataDir: join(dir, dataDir) }));
  try {
    const series = { venue: 'BINANCE', symbol: 'BTCUSDT' };
    const bars = await reader.getBars({ ...series, period: '1m', fromUs: 0 });
    const trades = await reader.getTrades({ ...series, fromSeq: 1, toSeq: 1_000_000 });
    return { bars, trades };
  } finally {
    reader.close();
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
  if (namespaces.length === 0) return;
  const admin = new Kafka({ brokers: testBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) =>
      namespaces.some((ns) => t.startsWith(`${ns}.`) || t.startsWith(`dlq.${ns}.`)),
    );
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
    const groups = (await admin.listGroups()).groups
      .map((g) => g.groupId)
      .filter((g) => namespaces.some((ns) => g.startsWith(`${ns}-`)));
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => {});
  } finally {
    await admin.disconnect();
  }
});

function namespace(): string {
  const ns = uniqueName('qf-cli-backfill');
  namespaces.push(ns);
  return ns;
}

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

describe('quantforge backfill --bus kafka', () => {
  it('fills 1m bars from klines like the embedded bus; a second run writes nothing', async () => {
    const ns = namespace();
    const [embedded, kafka] = await Promise.all([
      backfill('bars-embedded', range),
      backfill('bars-kafka', range, { ns }),
    ]);
    expect(embedded.stdout).toContain('over the embedded bus');
    expect(kafka.stderr).not.toContain('quantforge:');
    expect(kafka.stdout).toContain('over the kafka bus');
    expect(kafka.stdout).toContain('gaps found: 12 missing bars, items written: 12, requests: 1');
    expect(kafka.code).toBe(0);
    const want = await stored('bars-embedded');
    expect(want.bars).toHaveLength(12);
    expect((await stored('bars-kafka')).bars).toEqual(want.bars);

    const again = await backfill('bars-kafka', range, { ns });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('gaps found: 0 missing bars, items written: 0, requests: 0');
    expect((await stored('bars-kafka')).bars).toEqual(want.bars);
  }, 90_000);

  it('fills trades through dedup, sequencer and bars on Kafka like the embedded bus; a second run writes nothing', async () => {
    const ns = namespace();
    const trades = [...range, '--dataset', 'trades'];
    const [embedded, kafka] = await Promise.all([
      backfill('trades-embedded', trades),
      backfill('trades-kafka', trades, { ns }),
    ]);
    expect(embedded.code).toBe(0);
    expect(kafka.stderr).not.toContain('quantforge:');
    expect(kafka.stdout).toContain(`items written: ${TRADE_COUNT}`);
    expect(kafka.code).toBe(0);
    const want = await stored('trades-embedded');
    expect(want.trades).toHaveLength(TRADE_COUNT);
    const got = await stored('trades-kafka');
    expect(got.trades).toEqual(want.trades);
    expect(got.bars.length).toBeGreaterThan(0);
    expect(got.bars).toEqual(want.bars);

    // On Kafka the processors' state lives in the state.* topics, not in <dataDir>/_state.
    expect(existsSync(join(dir, 'trades-embedded', '_state'))).toBe(true);
    expect(existsSync(join(dir, 'trades-kafka', '_state'))).toBe(false);
    const again = await backfill('trades-kafka', trades, { ns });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('items written: 0');
    expect(await stored('trades-kafka')).toEqual(got);
  }, 90_000);

  it('names the brokers and how to start one when Kafka does not answer', async () => {
    const down = await backfill('down', range, { ns: namespace(), brokers: '127.0.0.1:1' });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('quantforge: cannot reach Kafka at 127.0.0.1:1');
    expect(down.stderr).toContain('npm run kafka:start');
    const bad = await backfill('down', [...range, '--bus', 'nonsense']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--bus: expected one of embedded, kafka (got "nonsense")');
  }, 30_000);
});
