/**
 * End-to-end pipeline throughput: Binance WS trade frames (built from the recorded BTCUSDT
 * trades, repeated with shifted ids and times) in through the raw ingest, out as 1m bars
 * committed to the store; and raw kafkajs transport of the same raw records for comparison.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../../core/logger.ts';
import { createEmbeddedBus, createKafkaBus, type KafkaBusOptions } from '../../pipeline/bus/index.ts';
import { namespacedBus } from '../../pipeline/bus/namespaced.ts';
import { uniqueName } from '../../pipeline/bus/testing.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import type { Bus, BusRecord, TopicSpec } from '../../pipeline/bus/types.ts';
import { processorsConfigSchema } from '../../pipeline/processors/index.ts';
import { loadBtcusdtTrades } from '../../pipeline/processors/testing/recorded-trades.ts';
import {
  PIPELINE_STAGES,
  type PipelineProgress,
  type PipelineStage,
  startPipeline,
} from '../../pipeline/runtime/pipeline.ts';
import { parseStoreConfig } from '../../pipeline/store/config.ts';
import { createBinanceIngest } from '../../pipeline/venues/binance/index.ts';
import type { RawFrame } from '../../pipeline/venues/types.ts';
import { BarCodec, EnvelopeCodec } from '../../proto/index.ts';

const MINUTE_US = 60_000_000;
const encoder = new TextEncoder();

/** Trade frames as Binance sends them, plus how many 1m bars they make. */
export interface TradeFrames {
  readonly frames: RawFrame[];
  /** BTCUSDT trades, excluding the closing sentinel. */
  readonly trades: number;
  /** Distinct minutes of those trades: the final 1m bars to wait for. */
  readonly minutes: number;
}

function tradeFrame(
  symbol: string,
  id: number,
  price: string,
  qty: string,
  timeMs: number,
  m: boolean,
): RawFrame {
  const json = `{"stream":"${symbol.toLowerCase()}@trade","data":{"e":"trade","E":${timeMs + 1},"s":"${symbol}","t":${id},"p":"${price}","q":"${qty}","T":${timeMs},"m":${m},"M":true}}`;
  return { data: encoder.encode(json), receivedAtUs: (timeMs + 2) * 1000 };
}

/**
 * `count` BTCUSDT trade frames: the 19,904 recorded trades repeated, each copy with ids and
 * times shifted past the previous one, then one trade 10 minutes later that makes every bar final.
 */
export function buildTradeFrames(count: number): TradeFrames {
  const base = loadBtcusdtTrades();
  const first = base[0]!;
  const last = base.at(-1)!;
  const idSpan = last.id - first.id + 1;
  const spanUs = Math.ceil((last.timeUs - first.timeUs + 1) / MINUTE_US) * MINUTE_US;
  const frames: RawFrame[] = [];
  const minutes = new Set<number>();
  let id = 0;
  let timeUs = 0;
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / base.length);
    const t = base[i % base.length]!;
    id = t.id + k * idSpan;
    timeUs = t.timeUs + k * spanUs;
    minutes.add(Math.floor(timeUs / MINUTE_US));
    frames.push(tradeFrame('BTCUSDT', id, t.price, t.quantity, timeUs / 1000, t.aggressor === 2));
  }
  frames.push(tradeFrame('BTCUSDT', id + 1, base[0]!.price, '0.001', timeUs / 1000 + 600_000, false));
  return { frames, trades: count, minutes: minutes.size };
}

/** The raw-topic records ingest makes of `frames` (what goes on the wire first). */
export async function rawRecordsOf(frames: readonly RawFrame[], logger: Logger): Promise<BusRecord[]> {
  const out: BusRecord[] = [];
  const capture: Bus = {
    ...createEmbeddedBus({ logger }),
    produce: async (records) => {
      for (const r of records) out.push(r);
    },
  };
  const ingest = createBinanceIngest(
    { bus: capture, logger },
    { venue: 'BINANCE', batchSize: 5000, lingerMs: 5 },
  );
  for (const f of frames) ingest.push(f);
  await ingest.close();
  return out;
}

/** Topics the pipeline touches for one Binance spot venue (deploy/topics.yaml specs). */
function pipelineTopics(): TopicSpec[] {
  const specs: TopicSpec[] = loadTopics().filter((t) =>
    /^(raw\.binance\.|norm\.|bars\.|state\.)/.test(t.name),
  );
  for (const stream of ['depth', 'unknown']) {
    const name = `raw.binance.${stream}`;
    if (!specs.some((s) => s.name === name))
      specs.push({ name, partitions: 6, retentionMs: 3_600_000, cleanupPolicy: 'delete' });
  }
  return specs;
}

export interface E2eResult {
  readonly seconds: number;
  /** CPU of this process over the measured section. */
  readonly cpuSeconds: number;
  /** CPU of the second (stage worker) process, when there is one. */
  readonly childCpuSeconds?: number;
  /** CPU of the local Kafka broker (deploy/kafka), when its process can be read. */
  readonly brokerCpuSeconds?: number;
  readonly tradesStored: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where unreadable. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" closing the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** The local broker's pid (KAFKA_PID, else deploy/kafka's pid file), to count its CPU. */
function brokerPid(): number | undefined {
  const text =
    process.env.KAFKA_PID ??
    (() => {
      try {
        return readFileSync(join(import.meta.dirname, '../../deploy/kafka/.run/kafka.pid'), 'utf8');
      } catch {
        return undefined;
      }
    })();
  const pid = Number(text?.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const cpuDelta = (before: number | undefined, after: number | undefined) =>
  before === undefined || after === undefined ? undefined : after - before;

export interface KafkaTarget {
  readonly brokers: string[];
  /** Bus tuning to try (e.g. produceChunkBytes). */
  readonly tuning?: KafkaBusOptions;
  /** Stages to run in a second process (stage-worker.ts); this process runs the others. */
  readonly childStages?: readonly PipelineStage[];
}

interface StageChild {
  readonly pid: number | undefined;
  progress(): PipelineProgress | undefined;
  stop(): Promise<void>;
}

/** Starts stage-worker.ts with `stages` and waits until its groups joined. */
async function startStageChild(
  brokers: string[],
  ns: string,
  dataDir: string,
  stages: readonly PipelineStage[],
): Promise<StageChild> {
  // PIPELINE_BENCH_CHILD_ARGS: extra node flags for the second process (e.g. --cpu-prof).
  const nodeArgs = (process.env.PIPELINE_BENCH_CHILD_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(import.meta.dirname, 'stage-worker.ts')],
    {
      env: {
        ...process.env,
        KAFKA_BROKERS: brokers.join(','),
        QF_NS: ns,
        QF_STAGES: stages.join(','),
        QF_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let latest: PipelineProgress | undefined;
  let ready = false;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (text === 'ready') ready = true;
    else if (text.startsWith('progress ')) latest = JSON.parse(text.slice(9)) as PipelineProgress;
  });
  await waitFor(() => ready || exited, 'the stage worker to start');
  if (!ready) throw new Error('bench: the stage worker exited before it was ready');
  return {
    pid: child.pid,
    progress: () => latest,
    async stop() {
      if (exited) return;
      const done = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await done;
    },
  };
}

async function deleteNamespace(brokers: string[], ns: string): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter(
      (t) => t.startsWith(`${ns}.`) || t.startsWith(`dlq.${ns}.`),
    );
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topic: string): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const parts = meta.topics[0]?.partitions ?? [];
      if (parts.length > 0 && parts.every((p) => p.leader >= 0)) {
        await admin.fetchTopicOffsets(topic);
        return;
      }
    } catch {
      // not there yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`bench: no leaders for ${topic} after 15 s`);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * With PIPELINE_BENCH_BATCHES=1, the transform batches of this process's stages in the measured
 * section: how many, how big, how far apart (a stage on one hot partition runs one batch, and
 * one transaction, at a time).
 */
function createBatchLog() {
  let log = new Map<string, { count: number; messages: number }>();
  return {
    reset: () => {
      log = new Map();
    },
    record(groupId: string, messages: number) {
      const entry = log.get(groupId) ?? { count: 0, messages: 0 };
      entry.count++;
      entry.messages += messages;
      log.set(groupId, entry);
    },
    print(seconds: number) {
      for (const [groupId, e] of log)
        console.log(
          `    ${groupId}: ${e.count} batches, ${Math.round(e.messages / e.count)} messages each, one per ${((seconds * 1000) / e.count).toFixed(1)} ms`,
        );
    },
  };
}

/**
 * With PIPELINE_BENCH_PROFILE=<file.cpuprofile>, a V8 CPU profile of the measured section only
 * (not the frame building or warm-up), for Chrome DevTools or speedscope; with
 * PIPELINE_BENCH_HEAP=<file.heapprofile>, a sampling profile of what it allocates. Returns the stopper.
 */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.PIPELINE_BENCH_PROFILE;
  const heapFile = process.env.PIPELINE_BENCH_HEAP;
  if (!file && !heapFile) return undefined;
  const session = new Session();
  session.connect();
  if (file) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  if (heapFile) {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  return async () => {
    if (file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    }
    if (heapFile) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(heapFile, JSON.stringify(profile));
    }
    session.disconnect();
  };
}

/**
 * Runs the whole pipeline (ingest → normalizer → sequencer → bars → store sink) on a fresh
 * bus and store; times from the first raw frame in until every trade and every final 1m bar
 * is committed to the store. Group joins and topic creation happen before, in a warm-up.
 */
export async function runPipelineE2e(
  logger: Logger,
  input: TradeFrames,
  kafka: KafkaTarget | undefined,
): Promise<E2eResult> {
  const ns = uniqueName('qf-bench-pipeline');
  const batches = createBatchLog();
  const bus = kafka
    ? namespacedBus(
        createKafkaBus(
          { logger },
          {
            brokers: kafka.brokers,
            clientId: 'qf-bench',
            ssl: false,
            connectionTimeoutMs: 3000,
            requestTimeoutMs: 30000,
            transactionTimeoutMs: 60000,
            namespace: ns,
          },
          kafka.tuning,
        ),
        // The Kafka bus applies the namespace itself; this view only watches the batches.
        '',
        { onTransformBatch: (groupId, batch) => batches.record(groupId, batch.messages.length) },
      )
    : createEmbeddedBus({ logger });
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-pipeline-'));
  try {
    await ensureTopics(bus, pipelineTopics());
    const store = parseStoreConfig({ dataDir: dir, flush: { intervalMs: 0 } });
    const childStages = kafka?.childStages ?? [];
    const child =
      kafka && childStages.length > 0
        ? await startStageChild(kafka.brokers, ns, dir, childStages)
        : undefined;
    const pipeline = await startPipeline(
      { bus, logger },
      {
        store,
        processors: processorsConfigSchema.parse({}),
        venues: ['BINANCE'],
        stages: PIPELINE_STAGES.filter((s) => !childStages.includes(s)),
      },
    );
    const sinkStats = () =>
      (childStages.includes('sink') ? child?.progress()?.sink : undefined) ?? pipeline.progress().sink;
    let finals = 0;
    let barRecords = 0;
    const probe = await bus.subscribe({
      groupId: 'bench-probe',
      topics: ['bars.1m'],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages) {
          barRecords++;
          const env = EnvelopeCodec.decode(m.value);
          if (env.symbol === 'BTCUSDT' && BarCodec.decode(env.payload).final) finals++;
        }
      },
    });
    try {
      // Warm-up on another series: two trades 3 s apart (a fresh series waits one reorder window).
      const warm = createBinanceIngest({ bus, logger }, { venue: 'BINANCE', batchSize: 10, lingerMs: 1 });
      warm.push(tradeFrame('ETHUSDT', 1, '2600.01', '0.5', 1_700_000_000_000, false));
      warm.push(tradeFrame('ETHUSDT', 2, '2600.02', '0.5', 1_700_000_003_000, true));
      await warm.close();
      await waitFor(() => sinkStats().trades >= 1, 'the warm-up trade in the store');
      const warmTrades = sinkStats().trades;

      batches.reset();
      const profiler = await startProfile();
      const broker = kafka ? brokerPid() : undefined;
      const child0 = processCpuSeconds(child?.pid);
      const broker0 = processCpuSeconds(broker);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const ingest = createBinanceIngest({ bus, logger }, { venue: 'BINANCE', batchSize: 5000, lingerMs: 5 });
      for (const f of input.frames) ingest.push(f);
      await ingest.close();
      const target = warmTrades + input.trades + 1;
      await waitFor(() => {
        const sink = sinkStats();
        return sink.trades >= target && finals >= input.minutes && sink.bars >= barRecords;
      }, 'every trade and final 1m bar in the store');
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const childCpuSeconds = cpuDelta(child0, processCpuSeconds(child?.pid));
      const brokerCpuSeconds = cpuDelta(broker0, processCpuSeconds(broker));
      await profiler?.();
      if (process.env.PIPELINE_BENCH_BATCHES) batches.print(seconds);
      return {
        seconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        ...(childCpuSeconds === undefined ? {} : { childCpuSeconds }),
        ...(brokerCpuSeconds === undefined ? {} : { brokerCpuSeconds }),
        tradesStored: sinkStats().trades - warmTrades,
      };
    } finally {
      await probe.stop();
      await pipeline.stop();
      await child?.stop();
    }
  } finally {
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
    if (kafka) await deleteNamespace(kafka.brokers, ns).catch(() => {});
  }
}

/**
 * Raw kafkajs transport of `records` (sendBatch in requests of ≤ 5000 records and ~900 kB, acks=all, idempotent, and one
 * eachBatch consumer counting them): produce and consume run at the same time; timed from the
 * first send until the consumer has seen every record. No decoding, no processing.
 */
export async function runRawKafka(kafka: KafkaTarget, records: readonly BusRecord[]): Promise<E2eResult> {
  const client = new Kafka({ brokers: kafka.brokers, clientId: 'qf-bench-raw', logLevel: logLevel.NOTHING });
  const topic = uniqueName('qf-bench-raw');
  const admin = client.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: false });
  // A broker busy with other topics can take a while to elect leaders: wait for them here.
  await waitForLeaders(admin, topic);
  const producer = client.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = client.consumer({
    groupId: uniqueName('qf-bench-raw'),
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 8 << 20,
  });
  let seen = 0;
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
      },
    });
    // Warm-up: the group has joined and fetches once the first record comes back.
    await producer.send({ topic, acks: -1, messages: [{ key: 'warm', value: Buffer.from('w') }] });
    await waitFor(() => seen >= 1, 'the raw consumer to join');
    const asMessage = (r: BusRecord) => ({
      key: r.key,
      value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // Requests under the broker's 1 MiB limit, like the bus's own produce chunks.
    for (let i = 0; i < records.length; ) {
      let bytes = 0;
      let j = i;
      while (j < records.length && j - i < 5000 && bytes < 900_000) bytes += records[j++]!.value.length + 64;
      await producer.sendBatch({
        acks: -1,
        topicMessages: [{ topic, messages: records.slice(i, j).map(asMessage) }],
      });
      i = j;
    }
    await waitFor(() => seen >= records.length + 1, 'the raw consumer to see every record');
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, tradesStored: seen - 1 };
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
}
