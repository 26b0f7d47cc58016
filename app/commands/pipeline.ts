import { InvalidInputError } from '../../core/errors.ts';
import { openPipelineSession, PIPELINE_STAGES, type PipelineStage } from '../../pipeline/runtime/index.ts';
import { type CommonOptions, loadContext, parseChoiceFlag } from './context.ts';
import { assertKafkaReachable, explainKafkaError } from './kafka.ts';

export interface PipelineOptions extends CommonOptions {
  readonly stages?: string;
  readonly statusEvery?: string;
}

/** `--stages a,b`: known stage names, each once, at least one. */
export function parseStagesFlag(value: string): PipelineStage[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0)
    throw new InvalidInputError('--stages', `no stage given; valid: ${PIPELINE_STAGES.join(', ')}`);
  const stages = names.map((name) => parseChoiceFlag('--stages', name, PIPELINE_STAGES));
  return [...new Set(stages)];
}

/**
 * `quantforge pipeline`: runs some (default all) of the pipeline's stages against Kafka until
 * SIGINT/SIGTERM, as one process of a deployment that spreads the stages over processes or
 * machines (each stage is its own consumer group, so several processes may run the same stage
 * and share its partitions). Prints one line when running and, with `--status-every`, a
 * `status <json>` line of the stages' counters whenever they changed.
 */
export async function runPipelineCommand(options: PipelineOptions): Promise<void> {
  const stages = options.stages === undefined ? [...PIPELINE_STAGES] : parseStagesFlag(options.stages);
  const statusEvery = options.statusEvery === undefined ? 0 : Number(options.statusEvery);
  if (!Number.isInteger(statusEvery) || statusEvery < 0)
    throw new InvalidInputError(
      '--status-every',
      `expected milliseconds (a whole number ≥ 0), got ${options.statusEvery}`,
    );
  const ctx = loadContext(options, 'pipeline', 'info');
  const kafka = ctx.config.bus.kafka;
  if (ctx.config.bus.kind !== 'kafka')
    throw new InvalidInputError(
      'bus.kind',
      'quantforge pipeline runs stages as processes sharing Kafka; the embedded bus lives in one process ' +
        '(set bus.kind: kafka, or QF_BUS__KIND=kafka; or run everything with quantforge start)',
    );
  const { logger } = ctx;
  await assertKafkaReachable(kafka, 'none');
  try {
    const session = await openPipelineSession(
      { logger },
      { bus: ctx.config.bus, store: ctx.store, processors: ctx.config.processors, stages },
    );
    try {
      const pipeline = await session.start();
      // Listening before saying "running", so a signal right after the line stops cleanly.
      const stopSignal = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      process.stdout.write(
        `pipeline stages ${stages.join(', ')} running on kafka ${kafka.brokers.join(',')}` +
          `${kafka.namespace ? ` (namespace ${kafka.namespace})` : ''}; store ${ctx.store.dataDir}\n`,
      );
      let last = '';
      const timer =
        statusEvery > 0
          ? setInterval(() => {
              const now = JSON.stringify(pipeline.progress());
              if (now === last) return;
              last = now;
              process.stdout.write(`status ${now}\n`);
            }, statusEvery)
          : undefined;
      const signal = await stopSignal;
      clearInterval(timer);
      process.stdout.write(`${signal}: stopping (finishing in-flight batches, committing)…\n`);
    } finally {
      await session.close();
    }
    process.stdout.write('stopped.\n');
  } catch (error) {
    throw explainKafkaError(error, kafka, 'none');
  }
}
