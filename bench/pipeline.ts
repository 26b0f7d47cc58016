/**
 * Pipeline end to end (raw WS trades in → bars committed to the store) on the embedded bus and real Kafka, beside raw kafkajs transport; store query p50/p99 beside direct DuckDB.
 *
 * Run: npm run bench -- pipeline [trades=1000000]   (KAFKA_BROKERS, default 127.0.0.1:19092;
 * PIPELINE_BENCH=e2e|queries runs one half, =kafka or =embedded one pipeline run alone, for profiling; PIPELINE_BENCH_PROFILE=f.cpuprofile writes a CPU profile of the measured section, PIPELINE_BENCH_BATCHES=1 prints the transform batches, PIPELINE_BENCH_TIMES=1 prints where the stream is every 250 ms, PIPELINE_BENCH_SPLIT=stages runs those in other processes (`quantforge pipeline --stages`; processes separated by "/"), PIPELINE_BENCH_CHILD_ARGS=flags adds node flags to them). Issue goals: ≥ 100k trades/s end to end on Kafka;
 * store ≤ 1.5× direct DuckDB; last-1000 p50 ≤ 5 ms. Figures are printed whatever they are.
 * Trades/s and µs per trade move with the machine; CPU per trade is also printed as a multiple
 * of the CPU `JSON.parse` of the same frames takes in the same run, which compares between machines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createLogger, type LogLevel } from '../core/logger.ts';
import { PIPELINE_STAGES, type PipelineStage } from '../pipeline/runtime/pipeline.ts';
import {
  buildTradeFrames,
  type E2eResult,
  jsonParseCpuSeconds,
  rawRecordsOf,
  runPipelineE2e,
  runRawKafka,
} from './pipeline/e2e.ts';
import { type Latency, runQueries } from './pipeline/queries.ts';

// A million trades: at 100k trades/s the stream lasts ten seconds, so the time the last records
// take to cross every stage (about a second) is not most of what is measured.
const trades = Number(process.argv[2] ?? 1_000_000);
const only = process.env.PIPELINE_BENCH;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
/** Optional Kafka bus tuning to try, e.g. PIPELINE_BENCH_TUNING='{"produceChunkBytes":250000}'. */
const tuning = z
  .object({
    produceChunkBytes: z.number().int().positive(),
    maxBytesPerPartition: z.number().int().positive(),
  })
  .partial()
  .strict()
  .parse(JSON.parse(process.env.PIPELINE_BENCH_TUNING ?? '{}'));
/**
 * Stages the multi-process Kafka run puts in other processes (`quantforge pipeline --stages`),
 * one process per "/"-separated group: by default one each for the normalizer, the trade
 * processor and the store sink, beside this process's ingest, so two cores are kept busy from
 * the first frame to the last commit (e.g. "trades,sink" puts both in one process).
 */
const split = (process.env.PIPELINE_BENCH_SPLIT ?? 'normalizer/trades/sink').split('/').map((group) =>
  group
    .split(',')
    .filter((s) => s !== '')
    .map((s) => {
      if (!(PIPELINE_STAGES as readonly string[]).includes(s))
        throw new Error(`PIPELINE_BENCH_SPLIT: unknown stage "${s}"; valid: ${PIPELINE_STAGES.join(', ')}`);
      return s as PipelineStage;
    }),
);
const splitLabel = split.map((g) => g.join('+')).join(' | ');
const logger = createLogger({
  name: 'bench-pipeline',
  level: (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'warn',
});
const started = performance.now();

const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en-US')}k`;
const us = (seconds: number, n: number) => `${((seconds / n) * 1e6).toFixed(1)} µs`;
/** CPU per trade in JSON.parse units (set once the frames are built): the figure that travels between machines. */
let parseCpuPerFrame = Number.NaN;
const xParse = (seconds: number, n: number) => `${(seconds / n / parseCpuPerFrame).toFixed(1)}× JSON.parse`;
const line = (label: string, r: E2eResult, n: number) => {
  console.log(
    `  ${label.padEnd(58)} ${k(n / r.seconds).padStart(6)} trades/s  ` +
      `(${n.toLocaleString('en-US')} in ${r.seconds.toFixed(2)} s; this process ${r.cpuSeconds.toFixed(1)} CPU-s = ${us(r.cpuSeconds, n)}/trade = ${xParse(r.cpuSeconds, n)})`,
  );
  // CPU per trade of every process on the path: what two cores have to share.
  const parts = [`this process ${us(r.cpuSeconds, n)}`];
  if (r.childCpuSeconds !== undefined) parts.push(`other processes ${us(r.childCpuSeconds, n)}`);
  if (r.brokerCpuSeconds !== undefined) parts.push(`broker ${us(r.brokerCpuSeconds, n)}`);
  if (parts.length > 1) {
    const total = r.cpuSeconds + (r.childCpuSeconds ?? 0) + (r.brokerCpuSeconds ?? 0);
    const node = r.cpuSeconds + (r.childCpuSeconds ?? 0);
    const withoutBroker = r.brokerCpuSeconds === undefined ? '' : `; without the broker ${xParse(node, n)}`;
    console.log(
      `  ${''.padEnd(58)} CPU per trade: ${parts.join(' + ')} = ${us(total, n)} (${xParse(total, n)}${withoutBroker})`,
    );
  }
};

if (only !== 'queries') {
  const input = buildTradeFrames(trades);
  console.log(
    `end to end: ${trades.toLocaleString('en-US')} BTCUSDT trades as Binance WS frames (recorded trades repeated), ` +
      `${input.minutes} minutes`,
  );
  parseCpuPerFrame = jsonParseCpuSeconds(input) / input.count;
  console.log(
    `  yardstick: JSON.parse of the same frames takes ${(parseCpuPerFrame * 1e6).toFixed(2)} µs CPU per frame here (least of 3 passes); ` +
      'CPU per trade is also given as a multiple of it, which compares between machines where trades/s does not',
  );
  if (only === 'kafka' || only === 'embedded') {
    // For profiling (node --cpu-prof): one pipeline run alone.
    const target =
      only === 'kafka'
        ? { brokers, tuning, children: process.env.PIPELINE_BENCH_SPLIT ? split : [] }
        : undefined;
    line(`pipeline, ${only}`, await runPipelineE2e(logger, input, target), trades);
    process.exit(0);
  }
  const embedded = await runPipelineE2e(logger, input, undefined);
  line('pipeline, embedded bus', embedded, trades);
  const kafka = await runPipelineE2e(logger, input, { brokers, tuning });
  line('pipeline, Kafka, one process', kafka, trades);
  const kafka2 = await runPipelineE2e(logger, input, { brokers, tuning, children: split });
  line(`pipeline, Kafka, ${splitLabel} in other processes`, kafka2, trades);
  // Built only now, and dropped after: a million records held through the pipeline runs would
  // weigh on this process's GC.
  const transport = await runRawKafka({ brokers }, await rawRecordsOf(input, logger));
  line('raw kafkajs transport, same raw records', transport, trades);
  for (const r of [embedded, kafka, kafka2])
    if (r.tradesStored !== trades + 1)
      throw new Error(`bench: stored ${r.tradesStored} of ${trades + 1} trades`);
  const rate = (r: E2eResult) => trades / r.seconds;
  const best = Math.max(rate(kafka), rate(kafka2));
  console.log(
    `  ratios: Kafka pipeline (best) / raw kafkajs transport ${(best / rate(transport)).toFixed(2)}; ` +
      `Kafka (best) / embedded ${(best / rate(embedded)).toFixed(2)}; ` +
      `goal ≥ 100k trades/s on Kafka: ${best >= 100_000 ? 'met' : 'NOT met'}`,
  );
  console.log(
    '  (100k trades/s on two cores leaves 20 µs of CPU per trade for every process, broker included; records go over Kafka packed per key, see docs/topics.md)',
  );
}

if (only !== 'e2e') {
  const dir = mkdtempSync(join(tmpdir(), 'qf-bench-queries-'));
  try {
    const q = await runQueries(logger, dir);
    const ms = (l: Latency) => `p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`;
    console.log(
      `store queries: a year of 1m bars (525,600, from the BTC/USDT 5m candles) written in ${q.writeSeconds.toFixed(1)} s, ${q.files} Parquet files; ${q.cached}`,
    );
    for (const [label, f] of [
      ['last 1000 1m bars', q.last1000],
      ['last 1000, live (commit each)', q.last1000Live],
      ['year of 1m as 1h (8,760 bars)', q.yearAs1h],
    ] as const) {
      console.log(`  ${label.padEnd(30)} store ${ms(f.store)} | direct DuckDB ${ms(f.direct)}`);
      console.log(
        `  ${''.padEnd(30)} ratio store/direct: p50 ${(f.store.p50 / f.direct.p50).toFixed(2)}, p99 ${(f.store.p99 / f.direct.p99).toFixed(2)} (goal ≤ 1.5)`,
      );
    }
    console.log(
      `  last-1000 p50 ≤ 5 ms: ${q.last1000.store.p50 <= 5 ? 'yes' : 'NO'} (live: ${q.last1000Live.store.p50 <= 5 ? 'yes' : 'NO'})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
