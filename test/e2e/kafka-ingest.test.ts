/**
 * What `quantforge ingest --bus kafka` does, on real Kafka: both spot WS recordings (every
 * BTCUSDT trade, depth and all) through the raw ingest, normalizer, sequencer, bars and store
 * sink, one file after the other like two ingest runs; the stored 1m bars and trades equal an
 * embedded-bus run of the same files, every field.
 *
 * The Kafka run goes through `namespacedBus` (fresh topic names, groups and transactional ids,
 * deleted after), so it never meets another run on the shared broker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedBus } from '../../pipeline/bus/index.ts';
import { namespacedBus } from '../../pipeline/bus/namespaced.ts';
import {
  deleteNamespaceTopics,
  makeTestBus,
  testBrokers,
  testLogger,
  uniqueName,
} from '../../pipeline/bus/testing/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import type { Bus } from '../../pipeline/bus/types.ts';
import { processorsConfigSchema } from '../../pipeline/processors/index.ts';
import { PIPELINE_STAGES, type PipelineStage, startPipeline } from '../../pipeline/runtime/pipeline.ts';
import { replayFile } from '../../pipeline/runtime/replay-source.ts';
import { createStoreReader, type StoredBar } from '../../pipeline/store/index.ts';
import { tempStore } from '../../pipeline/store/testing/temp-store.ts';
import { recordedData, until } from '../support/index.ts';

const RECORDINGS = [
  recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz'),
  recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240809.gz'),
];
const TRADE_COUNT = 19_904;
const logger = testLogger();

/** Topics of one Binance spot pipeline, as deploy/topics.yaml declares them. */
const TOPICS = loadTopics().filter((t) => /^(raw\.binance\.|norm\.|bars\.|state\.)/.test(t.name));

const namespaces: string[] = [];
afterAll(() => deleteNamespaceTopics(namespaces));

interface Stored {
  readonly bars: StoredBar[];
  readonly trades: number;
  readonly firstTrades: string;
}

/**
 * Ingests every recording on `bus` (a pipeline per file, as separate ingest runs would) and
 * reads the store back. With `split`, `split.stages` run on a second bus client of their own
 * (as a second process of a deployment would) and the rest on `bus`.
 */
async function ingest(bus: Bus, split?: { bus: Bus; stages: readonly PipelineStage[] }): Promise<Stored> {
  const store = tempStore();
  try {
    await ensureTopics(bus, TOPICS);
    const options = {
      store: store.config,
      processors: processorsConfigSchema.parse({}),
      venues: ['BINANCE'],
    };
    let trades = 0;
    for (const file of RECORDINGS) {
      const stages = PIPELINE_STAGES.filter((s) => !split?.stages.includes(s));
      const pipeline = await startPipeline({ bus, logger }, { ...options, stages });
      const second =
        split && (await startPipeline({ bus: split.bus, logger }, { ...options, stages: split.stages }));
      try {
        await replayFile({ bus, logger }, file, { venue: 'BINANCE', format: 'binance-ws' });
        const done = await (second ?? pipeline).settled({
          quietMs: bus.kind === 'kafka' ? 3000 : 750,
          timeoutMs: 120_000,
        });
        trades += done.sink.trades;
      } finally {
        await second?.stop();
        await pipeline.stop();
      }
    }
    const reader = await createStoreReader({ logger }, store.config);
    try {
      const series = { venue: 'BINANCE', symbol: 'BTCUSDT' };
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: 0 });
      const first = await reader.getTrades({ ...series, fromSeq: 1, toSeq: 100 });
      return { bars, trades, firstTrades: JSON.stringify(first) };
    } finally {
      reader.close();
    }
  } finally {
    await split?.bus.close();
    await bus.close();
    store.cleanup();
  }
}

/** The embedded run both tests compare with, made once. */
let reference: Stored | undefined;
async function embeddedReference(): Promise<Stored> {
  reference ??= await ingest(createEmbeddedBus({ logger }));
  return reference;
}

const BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'quantforge.mjs');

/** `quantforge pipeline --stages <stages>` on namespace `ns`; resolves once its stages run. */
async function startStageProcess(ns: string, dataDir: string, stages: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    [BIN, 'pipeline', '--stages', stages, '--data-dir', dataDir, '--status-every', '50'],
    {
      env: {
        ...process.env,
        QF_BUS__KIND: 'kafka',
        KAFKA_BROKERS: testBrokers().join(','),
        QF_BUS__KAFKA__NAMESPACE: ns,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let storedTrades = 0;
  const running = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`quantforge pipeline --stages ${stages} exited (${code})`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('pipeline stages ')) resolve();
      else if (line.startsWith('status '))
        storedTrades = (JSON.parse(line.slice(7)) as { sink: { trades: number } }).sink.trades;
    });
  });
  await running;
  return {
    storedTrades: () => storedTrades,
    async stop(): Promise<number | null> {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('quantforge ingest path on real Kafka', () => {
  it('stores the same 1m bars and trades as the embedded bus', { timeout: 300_000 }, async () => {
    const embedded = await embeddedReference();
    const ns = uniqueName('qf-e2e-ingest');
    namespaces.push(ns);
    const kafka = await ingest(namespacedBus(makeTestBus('kafka', logger), ns));
    expect(embedded.trades).toBe(TRADE_COUNT);
    expect(kafka.trades).toBe(TRADE_COUNT);
    expect(kafka.bars.length).toBe(embedded.bars.length);
    expect(kafka.bars).toEqual(embedded.bars);
    expect(kafka.firstTrades).toBe(embedded.firstTrades);

    // The stages spread over two clients, as over two processes: the trade processor and the sink apart.
    const ns2 = uniqueName('qf-e2e-ingest-split');
    namespaces.push(ns2);
    const split = await ingest(namespacedBus(makeTestBus('kafka', logger), ns2), {
      bus: namespacedBus(makeTestBus('kafka', logger), ns2),
      stages: ['trades', 'sink'],
    });
    expect(split.trades).toBe(TRADE_COUNT);
    expect(split.bars).toEqual(embedded.bars);
    expect(split.firstTrades).toBe(embedded.firstTrades);
  });

  it('`quantforge pipeline` processes, one per stage group, store the same bars', {
    timeout: 300_000,
  }, async () => {
    const embedded = await embeddedReference();
    const ns = uniqueName('qf-e2e-stage-processes');
    namespaces.push(ns);
    const bus = namespacedBus(makeTestBus('kafka', logger), ns);
    const store = tempStore();
    const processes: Awaited<ReturnType<typeof startStageProcess>>[] = [];
    try {
      await ensureTopics(bus, TOPICS);
      processes.push(await startStageProcess(ns, store.config.dataDir, 'normalizer'));
      const sink = await startStageProcess(ns, store.config.dataDir, 'trades,sink');
      processes.push(sink);
      for (const file of RECORDINGS)
        await replayFile({ bus, logger }, file, { venue: 'BINANCE', format: 'binance-ws' });
      await until(
        () => sink.storedTrades() >= TRADE_COUNT,
        () => `${TRADE_COUNT} stored trades (stored ${sink.storedTrades()})`,
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      // SIGTERM: each finishes its batch, commits and exits 0.
      for (const p of processes.splice(0)) expect(await p.stop()).toBe(0);
      const reader = await createStoreReader({ logger }, store.config);
      try {
        const series = { venue: 'BINANCE', symbol: 'BTCUSDT' };
        expect(await reader.getBars({ ...series, period: '1m', fromUs: 0 })).toEqual(embedded.bars);
        expect(JSON.stringify(await reader.getTrades({ ...series, fromSeq: 1, toSeq: 100 }))).toBe(
          embedded.firstTrades,
        );
      } finally {
        reader.close();
      }
    } finally {
      for (const p of processes) await p.stop();
      await bus.close();
      store.cleanup();
    }
  });

  it('refuses to run part of the stages on the embedded bus, naming them', async () => {
    const store = tempStore();
    try {
      await expect(
        startPipeline(
          { bus: createEmbeddedBus({ logger }), logger },
          { store: store.config, processors: processorsConfigSchema.parse({}), stages: ['sink'] },
        ),
      ).rejects.toThrow(/must run every stage \(normalizer, trades, sink, alerts\); got sink/);
    } finally {
      store.cleanup();
    }
  });
});
