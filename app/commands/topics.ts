import { createBus } from '../../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import { formatRetention } from '../../pipeline/bus/topics-doc.ts';
import { loadConfig } from '../config/index.ts';
import { createAppLogger } from '../logging.ts';

/** Options of `quantforge topics ...`. */
export interface TopicsOptions {
  readonly file?: string;
  readonly config?: string;
  readonly secrets?: string;
}

/** `quantforge topics list`: every declared topic: name, partitions, retention, cleanup policy, key, schema. */
export async function runTopicsListCommand(options: TopicsOptions): Promise<void> {
  const rows = loadTopics(options.file).map((t) =>
    [t.name, t.partitions, formatRetention(t.retentionMs), t.cleanupPolicy, t.key, t.schema].join('\t'),
  );
  process.stdout.write(`${['topic\tpartitions\tretention\tcleanup\tkey\tschema', ...rows].join('\n')}\n`);
}

/** `quantforge topics ensure`: creates the declared topics missing on the configured bus. */
export async function runTopicsEnsureCommand(options: TopicsOptions): Promise<void> {
  const specs = loadTopics(options.file);
  const { config } = loadConfig({
    ...(options.config === undefined ? {} : { configPath: options.config }),
    ...(options.secrets === undefined ? {} : { secretsPath: options.secrets }),
  });
  const logger = createAppLogger(config.log, 'topics', 'warn');
  const bus = createBus({ logger }, config.bus);
  try {
    await ensureTopics(bus, specs);
  } finally {
    await bus.close();
  }
  process.stdout.write(`${specs.length} topics ensured on the ${bus.kind} bus\n`);
}
