import type { Command } from 'commander';
import { loadConfig } from '../../app/config/index.ts';
import { createLogger } from '../../core/logger.ts';
import { createBus } from '../../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import { formatRetention } from '../../scripts/gen-topics-doc.ts';

/** Options of `quantforge topics ...`. */
export interface TopicsOptions {
  readonly file?: string;
  readonly config?: string;
  readonly secrets?: string;
}

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
      const rows = loadTopics(options.file).map((t) =>
        [t.name, t.partitions, formatRetention(t.retentionMs), t.cleanupPolicy, t.key, t.schema].join('\t'),
      );
      process.stdout.write(`${['topic\tpartitions\tretention\tcleanup\tkey\tschema', ...rows].join('\n')}\n`);
    });
  topics
    .command('ensure')
    .description('create the declared topics missing on the configured bus')
    .option('--file <topics.yaml>', 'topics file (default: deploy/topics.yaml)')
    .option('--config <file>', 'config.yaml (bus section)')
    .option('--secrets <file>', 'secrets.yaml (kafka.sasl)')
    .action(async (options: TopicsOptions) => {
      const specs = loadTopics(options.file);
      const { config } = loadConfig({
        ...(options.config === undefined ? {} : { configPath: options.config }),
        ...(options.secrets === undefined ? {} : { secretsPath: options.secrets }),
      });
      const logger = createLogger({ name: 'topics', level: config.log.level });
      const bus = createBus({ logger }, config.bus);
      try {
        await ensureTopics(bus, specs);
      } finally {
        await bus.close();
      }
      process.stdout.write(`${specs.length} topics ensured on the ${bus.kind} bus\n`);
    });
}
