import type { Command } from 'commander';
import type { TopicsOptions } from '../../app/commands/topics.ts';

/**
 * `quantforge topics list|ensure`: the topics of deploy/topics.yaml, and creating the missing
 * ones on the configured bus (`bus.kind: kafka` creates them on the brokers).
 */
export function registerTopicsCommand(program: Command): void {
  const topics = program.command('topics').description('bus topics declared in deploy/topics.yaml');
  topics
    .command('list')
    .description('print every declared topic: name, partitions, retention, cleanup policy, key, schema')
    .option('--file <topics.yaml>', 'topics file (default: deploy/topics.yaml)')
    .action(async (options: TopicsOptions) => {
      const { runTopicsListCommand } = await import('../../app/commands/topics.ts');
      await runTopicsListCommand(options);
    });
  topics
    .command('ensure')
    .description('create the declared topics missing on the configured bus')
    .option('--file <topics.yaml>', 'topics file (default: deploy/topics.yaml)')
    .option('--config <file>', 'config.yaml (bus section)')
    .option('--secrets <file>', 'secrets.yaml (kafka.sasl)')
    .action(async (options: TopicsOptions) => {
      const { runTopicsEnsureCommand } = await import('../../app/commands/topics.ts');
      await runTopicsEnsureCommand(options);
    });
}
