import type { Command } from 'commander';
import { PIPELINE_STAGES } from '../../app/commands/choices.ts';
import type { PipelineOptions } from '../../app/commands/pipeline.ts';
import { withCommonOptions } from '../options.ts';

/**
 * `quantforge pipeline`: runs some (default all) of the pipeline's stages against Kafka until
 * SIGINT/SIGTERM, as one process of a deployment that spreads the stages over processes or
 * machines (each stage is its own consumer group, so several processes may run the same stage
 * and share its partitions). Prints one line when running and, with `--status-every`, a
 * `status <json>` line of the stages' counters whenever they changed.
 */
export function registerPipelineCommand(program: Command): void {
  withCommonOptions(
    program
      .command('pipeline')
      .description('run pipeline stages on Kafka (normalizer, trades, sink) until SIGINT/SIGTERM')
      .option(
        '--stages <list>',
        `comma-separated stages to run: ${PIPELINE_STAGES.join(', ')} (default: all)`,
      )
      .option('--status-every <ms>', 'print the counters as a `status <json>` line at most this often'),
  ).action(async (options: PipelineOptions) => {
    const { runPipelineCommand } = await import('../../app/commands/pipeline.ts');
    await runPipelineCommand(options);
  });
}
