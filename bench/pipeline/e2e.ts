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
import {
  createEmbeddedBus,
  createKafkaBus,
  DLQ_PREFIX,
  type KafkaBusOptions,
  rawTopicName,
  TOPIC_NAMES,
} from '../../pipeline/bus/index.ts';
import { namespacedBus } from '../../pipeline/bus/namespaced.ts';
import { uniqueName } from '../../pipeline/bus/testing/index.ts';
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
/** Trade frames handed to the ingest per event-loop turn (about 200 kB of WebSocket frames). */
const FRAMES_PER_READ = 1000;
const encoder = new TextEncoder();

/**
 * Trade frames as Binance sends them, plus how many 1m bars they make. The frames' bytes lie in
 * one buffer, as a socket's reads would: a million frame objects kept alive for the whole bench
 * would make every major GC of the ingest process walk them, which no real feed costs.
 */
export interface TradeFrames {
  /** Frames in all, the closing sentinel included. */
  readonly count: number;
  /** Frame `i` (a view of the shared bytes). */
  frame(i: number): RawFrame;
  /** BTCUSDT trades, excluding the closing sentinel. */
  readonly trades: number;
  /** Distinct minutes of those trades: the final 1m bars to wait for. */
  readonly minutes: number;
}

function tradeFrameJson(
  symbol: string,
  id: number,
  price: string,
  qty: string,
  timeMs: number,
  m: boolean,
): string {
  return `{"stream":"${symbol.toLowerCase()}@trade","data":{"e":"trade","E":${timeMs + 1},"s":"${symbol}","t":${id},"p":"${price}","q":"${qty}","T":${timeMs},"m":${m},"M":true}}`;
}

function tradeFrame(...args: Parameters<typeof tradeFrameJson>): RawFrame {
  return { data: encoder.encode(tradeFrameJson(...args)), receivedAtUs: (args[4] + 2) * 1000 };
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
  const texts: string[] = [];
  const timesMs = new Float64Array(count + 1);
  const minutes = new Set<number>();
  let id = 0;
  let timeUs = 0;
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / base.length);
    const t = base[i % base.length]!;
    id = t.id + k * idSpan;
    timeUs = t.timeUs + k * spanUs;
    minutes.add(Math.floor(timeUs / MINUTE_US));
    timesMs[i] = timeUs / 1000;
    texts.push(tradeFrameJson('BTCUSDT', id, t.price, t.quantity, timeUs / 1000, t.aggressor === 2));
  }
  timesMs[count] = timeUs / 1000 + 600_000;
  texts.push(tradeFrameJson('BTCUSDT', id + 1, base[0]!.price, '0.001', timesMs[count]!, false));
  const offsets = new Uint32Array(texts.length + 1);
  for (let i = 0; i < texts.length; i++) offsets[i + 1] = offsets[i]! + texts[i]!.length;
  const bytes = Buffer.allocUnsafe(offsets[texts.length]!);
  for (let i = 0; i < texts.length; i++) bytes.write(texts[i]!, offsets[i]!, 'latin1');
  return {
    count: texts.length,
    frame: (i) => ({
      data: bytes.subarray(offsets[i]!, offsets[i + 1]!),
      receivedAtUs: (timesMs[i]! + 2) * 1000,
    }),
    trades: count,
    minutes: minutes.size,
  };
}

/**
 * CPU seconds that `JSON.parse` of every frame takes (its bytes decoded as UTF-8, then parsed):
 * the yardstick the bench prints CPU per trade against. Both move with the machine (CPU, clock,
 * Node version) in much the same way, so their ratio can be compared between machines where
 * trades/s cannot. The least of `passes` passes: interruptions only ever add CPU.
 */
export function jsonParseCpuSeconds(frames: TradeFrames, passes = 3): number {
  const decoder = new TextDecoder();
  let best = Number.POSITIVE_INFINITY;
  let ids = 0;
  for (let pass = 0; pass < passes; pass++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < frames.count; i++) {
      const message = JSON.parse(decoder.decode(frames.frame(i).data)) as { data: { t: number } };
      ids += message.data.t;
    }
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (cpu.user + cpu.system) / 1e6);
  }
  // Using what was parsed keeps the parse from being optimised away.
  if (!Number.isFinite(ids)) throw new Error('bench: JSON.parse of the frames gave no trade ids');
  return best;
}

/** The raw-topic records ingest makes of `frames` (what goes on the wire first). */
export async function rawRecordsOf(frames: TradeFrames, logger: Logger): Promise<BusRecord[]> {
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
  for (let i = 0; i < frames.count; i++) ingest.push(frames.frame(i));
  await ingest.close();
  return out;
}

/** Topics the pipeline touches for one Binance spot venue (deploy/topics.yaml specs). */
function pipelineTopics(): TopicSpec[] {
  const specs: TopicSpec[] = loadTopics().filter((t) =>
    /^(raw\.binance\.|norm\.|bars\.|state\.)/.test(t.name),
  );
  for (const stream of ['depth', 'unknown']) {
    const name = rawTopicName('BINANCE', stream);
    if (!specs.some((s) => s.name === name))
      specs.push({ name, partitions: 6, retentionMs: 3_600_000, cleanupPolicy: 'delete' });
  }
  return specs;
}

export interface E2eResult {
  readonly seconds: number;
  /** CPU of this process over the measured section. */
  readonly cpuSeconds: number;
  /** CPU of the other (stage worker) processes, when there are any. */
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
  /**
   * Stages to run in other processes (stage-worker.ts), one list per process; this process
   * runs the rest.
   */
  readonly children?: readonly (readonly PipelineStage[])[];
}

interface StageChild {
  readonly pid: number | undefined;
  progress(): PipelineProgress | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `quantforge pipeline --stages <stages>` (the command a deployment runs per process) on
 * the namespace `ns`, and waits until its stages are running.
 */
async function startStageChild(
  brokers: string[],
  ns: string,
  dataDir: string,
  stages: readonly PipelineStage[],
): Promise<StageChild> {
  // PIPELINE_BENCH_CHILD_ARGS: extra node flags for the other processes (e.g. --cpu-prof).
  const nodeArgs = (process.env.PIPELINE_BENCH_CHILD_ARGS ?? '').split(' ').filter((a) => a !== '');
  const bin = join(import.meta.dirname, '../../bin/quantforge.mjs');
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      bin,
      'pipeline',
      '--stages',
      stages.join(','),
      '--data-dir',
      dataDir,
      '--status-every',
      '5',
    ],
    {
      env: {
        ...process.env,
        QF_BUS__KIND: 'kafka',
        KAFKA_BROKERS: brokers.join(','),
        QF_BUS__KAFKA__NAMESPACE: ns,
        // The bench's Kafka tuning (PIPELINE_BENCH_TUNING) is for this process only.
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
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
    if (text.startsWith('pipeline stages ')) ready = true;
    else if (text.startsWith('status ')) latest = JSON.parse(text.slice(7)) as PipelineProgress;
  });
  await waitFor(() => ready || exited, `quantforge pipeline --stages ${stages.join(',')} to start`);
  if (!ready) throw new Error(`bench: quantforge pipeline --stages ${stages.join(',')} exited before it ran`);
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
      (t) => t.startsWith(`${ns}.`) || t.startsWith(`${DLQ_PREFIX}${ns}.`),
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
    const groups = kafka?.children ?? [];
    const childStages = groups.flat();
    const children: StageChild[] = [];
    for (const stages of groups)
      if (kafka && stages.length > 0) children.push(await startStageChild(kafka.brokers, ns, dir, stages));
    const sinkChild = children[groups.findIndex((g) => g.includes('sink'))];
    const childrenCpu = () => {
      let sum = 0;
      for (const c of children) {
        const cpu = processCpuSeconds(c.pid);
        if (cpu === undefined) return undefined;
        sum += cpu;
      }
      return children.length > 0 ? sum : undefined;
    };
    const pipeline = await startPipeline(
      { bus, logger },
      {
        store,
        processors: processorsConfigSchema.parse({}),
        venues: ['BINANCE'],
        stages: PIPELINE_STAGES.filter((s) => !childStages.includes(s)),
      },
    );
    const sinkStats = () => sinkChild?.progress()?.sink ?? pipeline.progress().sink;
    const normalizerChild = children[groups.findIndex((g) => g.includes('normalizer'))];
    const normalized = () =>
      (normalizerChild?.progress()?.normalizer ?? pipeline.progress().normalizer).produced;
    let finals = 0;
    let barRecords = 0;
    const probe = await bus.subscribe({
      groupId: 'bench-probe',
      topics: [TOPIC_NAMES.bars1m],
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
      const child0 = childrenCpu();
      const broker0 = processCpuSeconds(broker);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      // PIPELINE_BENCH_TIMES: where the stream is, every 250 ms.
      const timeline = process.env.PIPELINE_BENCH_TIMES
        ? setInterval(() => {
            console.log(
              `    ${((performance.now() - t0) / 1000).toFixed(2)} s: normalized ${normalized()}, stored ${sinkStats().trades - warmTrades}`,
            );
          }, 250)
        : undefined;
      const ingest = createBinanceIngest({ bus, logger }, { venue: 'BINANCE', batchSize: 5000, lingerMs: 5 });
      // Frames come in as from a socket, a read's worth at a time with I/O in between, not
      // as one synchronous loop over every frame (seconds during which nothing is sent).
      for (let i = 0; i < input.count; i += FRAMES_PER_READ) {
        const end = Math.min(i + FRAMES_PER_READ, input.count);
        for (let j = i; j < end; j++) ingest.push(input.frame(j));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await ingest.close();
      const ingestClosed = performance.now();
      const target = warmTrades + input.trades + 1;
      // PIPELINE_BENCH_TIMES: when the store held a quarter and three quarters of the trades.
      const quarter = { at: 0, trades: warmTrades + Math.floor(input.trades / 4) };
      const threeQuarters = { at: 0, trades: warmTrades + Math.floor((input.trades * 3) / 4) };
      await waitFor(() => {
        const sink = sinkStats();
        const now = performance.now();
        if (quarter.at === 0 && sink.trades >= quarter.trades) quarter.at = now;
        if (threeQuarters.at === 0 && sink.trades >= threeQuarters.trades) threeQuarters.at = now;
        return sink.trades >= target && finals >= input.minutes && sink.bars >= barRecords;
      }, 'every trade and final 1m bar in the store');
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(timeline);
      if (process.env.PIPELINE_BENCH_TIMES)
        console.log(
          `    ingest closed ${((ingestClosed - t0) / 1000).toFixed(2)} s, a quarter stored ${((quarter.at - t0) / 1000).toFixed(2)} s, three quarters ${((threeQuarters.at - t0) / 1000).toFixed(2)} s, all ${seconds.toFixed(2)} s`,
        );
      const cpu = process.cpuUsage(cpu0);
      const childCpuSeconds = cpuDelta(child0, childrenCpu());
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
      for (const c of children) await c.stop();
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
