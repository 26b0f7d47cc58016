/**
 * What the CLI commands that can run on Kafka (`ingest`, `backfill` with `--bus kafka`) share:
 * a fast check that a broker answers, and one message for a Kafka that does not, saying which
 * brokers were tried and how to get one (kafkajs alone retries for many seconds and then names
 * every topic it was creating).
 */
import { connect } from 'node:net';
import { QuantForgeError } from '../../core/errors.ts';
import { type BusConfig, BusConnectionError } from '../../pipeline/bus/index.ts';
import { parseChoiceFlag } from './context.ts';

/**
 * What else to do than start a broker: `--bus embedded` for commands that take it (the
 * default), nothing for a command that only runs on Kafka (`quantforge pipeline`).
 */
export type KafkaAlternative = 'embedded-flag' | 'none';

/** The message for a Kafka that does not answer: which brokers, and how to get one. */
export function kafkaUnreachable(
  brokers: readonly string[],
  detail: string,
  alternative: KafkaAlternative = 'embedded-flag',
): QuantForgeError {
  return new QuantForgeError(
    `cannot reach Kafka at ${brokers.join(',')} (bus.kafka.brokers in config, or KAFKA_BROKERS): ${detail}. ` +
      `Start a local broker with \`npm run kafka:start\`${alternative === 'embedded-flag' ? ', or run with --bus embedded' : ''}.`,
  );
}

/** Opens (and closes) a TCP connection to one broker; resolves to the failure, or undefined. */
function probe(broker: string, timeoutMs: number): Promise<string | undefined> {
  const at = broker.lastIndexOf(':');
  const host = broker.slice(0, at).replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(broker.slice(at + 1)), timeout: timeoutMs });
    const done = (failure: string | undefined) => {
      socket.destroy();
      resolve(failure);
    };
    socket.once('connect', () => done(undefined));
    socket.once('timeout', () => done(`${broker}: no answer within ${timeoutMs} ms`));
    socket.once('error', (error) => done(`${broker}: ${error.message}`));
  });
}

/** Fails fast, with {@link kafkaUnreachable}, when no broker accepts a connection. */
export async function assertKafkaReachable(
  config: BusConfig['kafka'],
  alternative?: KafkaAlternative,
): Promise<void> {
  const failures = await Promise.all(config.brokers.map((b) => probe(b, config.connectionTimeoutMs)));
  if (failures.some((f) => f === undefined)) return;
  throw kafkaUnreachable(config.brokers, failures.join('; '), alternative);
}

/**
 * The bus a one-shot command runs on: `--bus` when given, else config `bus.kind`; on Kafka,
 * checked reachable first so the command fails fast with {@link kafkaUnreachable}.
 */
export async function commandBusKind(
  flag: string | undefined,
  config: BusConfig,
): Promise<'embedded' | 'kafka'> {
  const kind = flag ? parseChoiceFlag('--bus', flag, ['embedded', 'kafka'] as const) : config.kind;
  if (kind === 'kafka') await assertKafkaReachable(config.kafka);
  return kind;
}

/** A connection failure later in a run as the same message; other errors unchanged. */
export function explainKafkaError(
  error: unknown,
  config: BusConfig['kafka'],
  alternative?: KafkaAlternative,
): unknown {
  if (!(error instanceof BusConnectionError)) return error;
  const root = error.cause instanceof Error ? error.cause.message : error.message;
  return kafkaUnreachable(config.brokers, `${error.operation} failed: ${root}`, alternative);
}
