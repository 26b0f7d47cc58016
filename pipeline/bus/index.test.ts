import { describe, expect, it } from 'vitest';
import { busConfigSchema, createBus, namespacedTopic } from './index.ts';
import { bytesText, testBrokers, testLogger, textBytes, uniqueName } from './testing/index.ts';

describe('createBus', () => {
  it('builds the backend the config names, embedded by default', async () => {
    const logger = testLogger();
    const embedded = createBus({ logger }, busConfigSchema.parse({}));
    expect(embedded.kind).toBe('embedded');
    await embedded.produce([{ topic: 'norm.trade', key: 'BINANCE:BTCUSDT', value: textBytes('x') }]);
    expect((await embedded.readCompacted('norm.trade')).size).toBe(1);
    await embedded.close();
    await expect(embedded.produce([])).rejects.toThrow(/closed/);

    // Nothing connects until first use, so building and closing a Kafka bus needs no broker.
    const kafka = createBus(
      { logger },
      busConfigSchema.parse({ kind: 'kafka', kafka: { brokers: ['127.0.0.1:1'] } }),
    );
    expect(kafka.kind).toBe('kafka');
    await kafka.close();
  });

  it('rejects a malformed broker address naming what is valid', () => {
    const result = busConfigSchema.safeParse({ kind: 'kafka', kafka: { brokers: ['localhost'] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected host:port');
  });

  it('puts a namespaced Kafka deployment under its prefix: topics, groups and transactional ids', async () => {
    const logger = testLogger();
    const ns = uniqueName('qf-ns');
    const config = busConfigSchema.parse({ kind: 'kafka', kafka: { brokers: testBrokers(), namespace: ns } });
    const bus = createBus({ logger }, config);
    const plain = createBus(
      { logger },
      busConfigSchema.parse({ kind: 'kafka', kafka: { brokers: testBrokers() } }),
    );
    const topic = uniqueName('ns.topic');
    try {
      await bus.ensureTopics([
        { name: topic, partitions: 1, retentionMs: 3_600_000, cleanupPolicy: 'delete' },
      ]);
      await bus.produce([{ topic, key: 'k', value: textBytes('namespaced') }]);
      // The deployment reads its own name; the broker holds it under the prefix.
      expect([...(await bus.readCompacted(topic)).values()].map(bytesText)).toEqual(['namespaced']);
      expect([...(await plain.readCompacted(namespacedTopic(ns, topic))).values()].map(bytesText)).toEqual([
        'namespaced',
      ]);
    } finally {
      await bus.close();
      await plain.close();
    }
  });

  it('rejects a namespace Kafka cannot name, saying what is valid', () => {
    const result = busConfigSchema.safeParse({ kind: 'kafka', kafka: { namespace: 'team a/prod' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/letters, digits, - or _/);
  });
});
