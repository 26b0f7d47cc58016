/**
 * Some stages of the pipeline in a child process, for the multi-process Kafka run of
 * `npm run bench -- pipeline` (as a deployment spreads stages over processes). Prints `ready`
 * once its consumer groups joined, then `progress <json>` (the pipeline's counters) whenever
 * they change; SIGTERM stops it gracefully.
 *
 * Env: KAFKA_BROKERS, QF_NS (topic namespace), QF_STAGES (comma-separated stage names),
 * QF_DATA_DIR (the store).
 */
import { createLogger } from '../../core/logger.ts';
import { createKafkaBus, type KafkaBusOptions } from '../../pipeline/bus/index.ts';
import { processorsConfigSchema } from '../../pipeline/processors/index.ts';
import { PIPELINE_STAGES, type PipelineStage, startPipeline } from '../../pipeline/runtime/pipeline.ts';
import { parseStoreConfig } from '../../pipeline/store/config.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`stage worker: ${name} is not set`);
  return value;
};
const stages = env('QF_STAGES')
  .split(',')
  .map((s) => {
    if (!(PIPELINE_STAGES as readonly string[]).includes(s))
      throw new Error(`stage worker: unknown stage "${s}"; valid: ${PIPELINE_STAGES.join(', ')}`);
    return s as PipelineStage;
  });
const logger = createLogger({ name: 'bench-stage-worker', level: process.env.LOG_LEVEL ?? 'warn' });
const bus = createKafkaBus(
  { logger },
  {
    brokers: env('KAFKA_BROKERS').split(','),
    clientId: 'qf-bench-stages',
    ssl: false,
    connectionTimeoutMs: 3000,
    requestTimeoutMs: 30000,
    transactionTimeoutMs: 60000,
    namespace: env('QF_NS'),
  },
  // The bench's Kafka tuning (PIPELINE_BENCH_TUNING), as the first process uses it.
  JSON.parse(process.env.PIPELINE_BENCH_TUNING ?? '{}') as KafkaBusOptions,
);
const pipeline = await startPipeline(
  { bus, logger },
  {
    store: parseStoreConfig({ dataDir: env('QF_DATA_DIR'), flush: { intervalMs: 0 } }),
    processors: processorsConfigSchema.parse({}),
    venues: ['BINANCE'],
    stages,
  },
);
process.stdout.write('ready\n');
let last = '';
const timer = setInterval(() => {
  const now = JSON.stringify(pipeline.progress());
  if (now === last) return;
  last = now;
  process.stdout.write(`progress ${now}\n`);
}, 5);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void (async () => {
    await pipeline.stop();
    await bus.close();
    process.exit(0);
  })();
});
