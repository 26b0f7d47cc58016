import { z } from 'zod';

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-_]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/, 'expected host:port');

/** Kafka connection settings (`bus.kafka`). SASL credentials live in secrets.yaml (`kafka.sasl`). */
export const kafkaConfigSchema = z
  .object({
    /** Bootstrap brokers, host:port. */
    brokers: z.array(hostPort).min(1, 'expected at least one host:port').default(['127.0.0.1:19092']),
    /** Client id prefix shown in broker logs and metrics. */
    clientId: z.string().min(1).default('quantforge'),
    /** Use TLS to reach the brokers. */
    ssl: z.boolean().default(false),
    /** Connection timeout, milliseconds. */
    connectionTimeoutMs: z.number().int().positive().default(3000),
    /** Request timeout, milliseconds. */
    requestTimeoutMs: z.number().int().positive().default(30000),
    /** Transaction timeout for exactly-once processors, milliseconds. */
    transactionTimeoutMs: z.number().int().positive().default(60000),
    /**
     * Puts every topic, consumer group and transactional id of this deployment under a prefix
     * (`<namespace>.norm.trade`, `dlq.<namespace>.norm.trade`), so several environments share one
     * cluster without meeting. Empty (default): the names of deploy/topics.yaml as they are.
     */
    namespace: z
      .string()
      .regex(/^([A-Za-z0-9][A-Za-z0-9_-]{0,47})?$/, 'expected letters, digits, - or _ (at most 48), or empty')
      .default(''),
  })
  .strict();

/** The `bus` section: which backend carries events between components. */
export const busConfigSchema = z
  .object({
    /** `embedded` (in-process, one machine, not durable) or `kafka`. */
    kind: z.enum(['embedded', 'kafka']).default('embedded'),
    kafka: kafkaConfigSchema.default(() => kafkaConfigSchema.parse({})),
  })
  .strict();

export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;
/** What the Kafka backend takes: the connection, and optionally the namespace (default none). */
export type KafkaConnectionConfig = Omit<KafkaConfig, 'namespace'> & { readonly namespace?: string };
export type BusConfig = z.infer<typeof busConfigSchema>;
