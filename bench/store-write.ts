/**
 * Store write cost per trade: appendTrades + flush per batch (as the store sink does), real BTCUSDT trades.
 * For each batch size (default 2000, 5000, 20000 rows per flush) it writes ~200k recorded trades
 * (repeated with shifted seq, trade ids and times) through a fresh writer and prints µs per trade
 * of wall time, total process CPU (JS + DuckDB threads + kernel) and main-thread busy time
 * (event-loop utilisation: JS and synchronous native calls such as fsync), plus trades/s. The
 * baseline, measured in the same run, is DuckDB alone writing the same number of files of the same
 * row count and schema: `COPY (SELECT … FROM range(n)) TO parquet` (+ fsync), so the gap between
 * the two is what the writer adds.
 * Each figure is the best of `--repeat` runs (the machine is shared).
 * `--threads`: DuckDB threads of the baseline (default: the writer's own, WRITER_THREADS).
 * `--sink`: also the store sink's whole path per trade (sequenced trade envelopes, as the bus
 * delivers them, read and buffered by the sink, one flush per batch), to compare with the writer's.
 * `--profile f.cpuprofile`: a V8 CPU profile of the measured sections only (not row building).
 * Run: npm run bench -- store-write [--rows 200000] [--sizes 2000,5000,20000] [--threads 1] [--repeat 3] [--sink]
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { createLogger } from '../core/logger.ts';
import { createEmbeddedBus, TOPIC_NAMES } from '../pipeline/bus/index.ts';
import type { Bus, BusBatch, BusMessage } from '../pipeline/bus/types.ts';
import { createStoreSink } from '../pipeline/runtime/store-sink.ts';
import {
  createStoreReader,
  createStoreWriter,
  parseStoreConfig,
  type TradeRow,
} from '../pipeline/store/index.ts';
import { loadBinanceSpotTrades } from '../pipeline/store/testing/recorded-trades.ts';
import { WRITER_THREADS } from '../pipeline/store/writer/writer.ts';
import { EnvelopeCodec, EventType, eventId, seriesKey, TradeCodec } from '../proto/index.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    sizes: { type: 'string', default: '2000,5000,20000' },
    threads: { type: 'string', default: String(WRITER_THREADS) },
    repeat: { type: 'string', default: '3' },
    sink: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const TOTAL = Number(args.rows);
const SIZES = args.sizes.split(',').map(Number);
const THREADS = Number(args.threads);
const REPEAT = Number(args.repeat);

/** Best of REPEAT runs per figure (the machine is shared: the minimum is the least disturbed). */
async function best(run: () => Promise<Figures>): Promise<Figures> {
  let b: Figures | undefined;
  for (let i = 0; i < REPEAT; i++) {
    const f = await run();
    b =
      b === undefined
        ? f
        : {
            wallUs: Math.min(b.wallUs, f.wallUs),
            cpuUs: Math.min(b.cpuUs, f.cpuUs),
            mainUs: Math.min(b.mainUs, f.mainUs),
            files: f.files,
          };
  }
  return b!;
}

/** ~TOTAL real trades: the recording repeated, each copy shifted past the previous one. */
function buildRows(): TradeRow[] {
  const src = loadBinanceSpotTrades();
  const span = src.at(-1)!.timeUs - src[0]!.timeUs + 1000;
  const idSpan = Number(src.at(-1)!.tradeId) - Number(src[0]!.tradeId) + 1;
  const rows: TradeRow[] = new Array(TOTAL);
  for (let n = 0; n < TOTAL; n++) {
    const rep = Math.floor(n / src.length);
    const t = src[n % src.length]!;
    rows[n] = {
      ...t,
      seq: n + 1,
      timeUs: t.timeUs + rep * span,
      tradeId: rep === 0 ? t.tradeId : String(Number(t.tradeId) + rep * idSpan),
    };
  }
  return rows;
}

interface Figures {
  wallUs: number;
  cpuUs: number;
  mainUs: number;
  files: number;
}

/** Runs `step` for every batch; returns wall, total CPU and main-thread busy µs (summed). */
async function measure(batches: number, step: (i: number) => Promise<void>): Promise<Figures> {
  if (profiler !== undefined) await profiler.post('Profiler.start');
  try {
    return await measured(batches, step);
  } finally {
    if (profiler !== undefined) {
      const { profile } = await profiler.post('Profiler.stop');
      profiles.push(profile);
    }
  }
}

async function measured(batches: number, step: (i: number) => Promise<void>): Promise<Figures> {
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) await step(i);
  const wallUs = (performance.now() - t0) * 1000;
  const cpu = process.cpuUsage(cpu0);
  const elu = performance.eventLoopUtilization(elu0);
  return { wallUs, cpuUs: cpu.user + cpu.system, mainUs: elu.active * 1000, files: batches };
}

async function writerRun(rows: readonly TradeRow[], size: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-store-'));
  const config = parseStoreConfig({
    dataDir: dir,
    flush: { intervalMs: 0, maxRows: 10_000_000 },
  });
  const writer = await createStoreWriter({}, config);
  try {
    // Warm-up: a few flushes (DuckDB caches, JIT) before measuring.
    const warm = Math.min(5, Math.floor(rows.length / size / 4));
    for (let i = 0; i < warm; i++) {
      await writer.appendTrades(rows.slice(i * size, (i + 1) * size));
      await writer.flush();
    }
    const batches = Math.floor((rows.length - warm * size) / size);
    const slices = Array.from({ length: batches }, (_, i) =>
      rows.slice((warm + i) * size, (warm + i + 1) * size),
    );
    return await measure(batches, async (i) => {
      await writer.appendTrades(slices[i]!);
      await writer.flush();
    });
  } finally {
    await writer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `rows` as the sequencer puts them on the bus (norm.trade.sequenced envelopes). */
function toMessages(rows: readonly TradeRow[]): BusMessage[] {
  return rows.map((t, i) => ({
    topic: TOPIC_NAMES.normTradeSequenced,
    key: seriesKey(t.venue, t.symbol),
    partition: 0,
    offset: String(i),
    timestamp: 0,
    value: EnvelopeCodec.encode({
      eventId: eventId(t.venue, t.symbol, EventType.trade, t.tradeId),
      eventType: EventType.trade,
      venue: t.venue,
      symbol: t.symbol,
      stream: 'trade',
      observedAtUs: t.timeUs,
      seq: t.seq,
      payload: TradeCodec.encode({ ...t, quoteQuantity: '', tradeCount: 1 }),
    }),
  }));
}

/** The store sink fed batches of `size` envelopes straight into its handler (no bus in between). */
async function sinkRun(messages: readonly BusMessage[], size: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-sink-'));
  const config = parseStoreConfig({ dataDir: dir, flush: { intervalMs: 0, maxRows: 10_000_000 } });
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const writer = await createStoreWriter({}, config);
  const reader = await createStoreReader({}, config);
  let handler: ((batch: BusBatch) => Promise<void>) | undefined;
  const bus: Bus = {
    ...createEmbeddedBus({ logger }),
    subscribe: async (options) => {
      handler = options.handler;
      return { groupId: options.groupId, stop: async () => undefined };
    },
  };
  // A commit per batch (no commit interval): the figure is per flush size.
  const sink = await createStoreSink({ bus, logger, writer, reader }, { commitIntervalMs: 0 });
  const batch = (i: number): BusBatch => ({
    topic: TOPIC_NAMES.normTradeSequenced,
    partition: 0,
    messages: messages.slice(i * size, (i + 1) * size),
  });
  try {
    const warm = Math.min(5, Math.floor(messages.length / size / 4));
    for (let i = 0; i < warm; i++) await handler!(batch(i));
    const batches = Math.floor((messages.length - warm * size) / size);
    const slices = Array.from({ length: batches }, (_, i) => batch(warm + i));
    return await measure(batches, (i) => handler!(slices[i]!));
  } finally {
    await sink.stop();
    await writer.close();
    reader.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** DuckDB alone: COPY of `size` generated rows of the trades schema per file, fsynced. */
async function baselineRun(size: number, batches: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-base-'));
  const instance = await DuckDBInstance.create(':memory:', { threads: String(THREADS) });
  const conn = await instance.connect();
  const select = (off: number) => `SELECT r::BIGINT AS seq, (1723161255342000 + r * 30000)::BIGINT AS time_us,
    (3735683259 + r)::VARCHAR AS trade_id,
    (61837.63 + (hash(r) % 2000) * 0.01)::DECIMAL(38,18) AS price,
    ((hash(r + 1) % 100000) * 0.00001)::DECIMAL(38,18) AS quantity,
    ((hash(r + 2) % 100000000) * 0.0000001)::DECIMAL(38,18) AS quote_quantity,
    (1 + r % 2)::UTINYINT AS side, (3735683259 + r)::BIGINT AS first_trade_id,
    (3735683259 + r)::BIGINT AS last_trade_id, 1::UINTEGER AS trade_count, true AS best_match
    FROM (SELECT range + ${off} AS r FROM range(${size}))`;
  const copy = async (i: number) => {
    const file = join(dir, `${i}.parquet`);
    await conn.run(
      `COPY (${select(i * size)}) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
    const fd = openSync(file, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  };
  try {
    for (let i = 0; i < 5; i++) await copy(i);
    return await measure(batches, (i) => copy(i + 5));
  } finally {
    conn.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number) => x.toFixed(2).padStart(7);
function print(label: string, size: number, f: Figures, trades: number): void {
  console.log(
    `${label.padEnd(9)} ${String(size).padStart(6)} rows/flush  wall ${fmt(f.wallUs / trades)} µs/trade ` +
      `(${Math.round((trades / f.wallUs) * 1e6)
        .toLocaleString('en-US')
        .padStart(9)} trades/s)  CPU ${fmt(f.cpuUs / trades)}  main ${fmt(f.mainUs / trades)} µs/trade  ` +
      `${fmt(f.wallUs / f.files / 1000)} ms/flush`,
  );
}

/** With --profile: the inspector session profiling each measured section, and their profiles. */
const profiler = args.profile === undefined ? undefined : new Session();
const profiles: unknown[] = [];
if (profiler !== undefined) {
  profiler.connect();
  await profiler.post('Profiler.enable');
}

const rows = buildRows();
const messages = args.sink ? toMessages(rows) : [];
console.log(
  `store-write: ${rows.length} real BTCUSDT trades, DuckDB threads: writer ${WRITER_THREADS}, baseline ${THREADS}; best of ${REPEAT} runs per figure`,
);
for (const size of SIZES) {
  const w = await best(() => writerRun(rows, size));
  const trades = w.files * size;
  print('writer', size, w, trades);
  if (args.sink) {
    const s = await best(() => sinkRun(messages, size));
    print('sink', size, s, s.files * size);
  }
  const b = await best(() => baselineRun(size, w.files));
  print('duckdb', size, b, trades);
  console.log(
    `          ratio writer/duckdb: wall ${(w.wallUs / b.wallUs).toFixed(2)}x, CPU ${(w.cpuUs / b.cpuUs).toFixed(2)}x`,
  );
}

if (profiler !== undefined && args.profile !== undefined) {
  // One file per measured run (writer, sink and baseline runs, in the order printed above).
  const base = args.profile.replace(/\.cpuprofile$/, '');
  for (const [i, p] of profiles.entries()) writeFileSync(`${base}.${i}.cpuprofile`, JSON.stringify(p));
  profiler.disconnect();
  console.log(`profiles: ${base}.0-${profiles.length - 1}.cpuprofile (one per measured run)`);
}
