// Proves the broker the test run uses is a real Kafka with working transactions (exactly-once),
// as used by the pipeline: transactional produce, sendOffsets, read_committed consumers.
import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers } from '../../test/setup/kafka.ts';

const WAIT_MS = 20_000;

const kafka = new Kafka({
  clientId: 'qf-kafka-selftest',
  brokers: kafkaBrokers(),
  logLevel: logLevel.NOTHING,
});
const runId = randomUUID().slice(0, 8);
const topics: string[] = [];
const clients: Array<Producer | Consumer> = [];
let admin: Admin;

async function createTopic(name: string): Promise<string> {
  const topic = `qf-selftest-${name}-${runId}`;
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  expect(created).toBe(true);
  topics.push(topic);
  return topic;
}

function transactionalProducer(id: string): Producer {
  const producer = kafka.producer({
    transactionalId: `qf-selftest-${id}-${runId}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  clients.push(producer);
  return producer;
}

/** Consumes `topic` from the beginning until `done(values)` holds; returns the values seen, in order. */
async function consumeUntil(
  topic: string,
  opts: { readUncommitted: boolean },
  done: (values: string[]) => boolean,
): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `qf-selftest-reader-${randomUUID()}`, ...opts });
  clients.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  const finished = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${WAIT_MS} ms; saw ${JSON.stringify(values)}`)),
      WAIT_MS,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value?.toString() ?? '');
        if (done(values)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  try {
    await finished;
  } finally {
    await consumer.disconnect();
  }
  return values;
}

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.disconnect()));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
});

describe('local Kafka broker', () => {
  it('hides an aborted transaction from read_committed consumers and shows the committed one', async () => {
    const topic = await createTopic('visibility');
    const producer = transactionalProducer('visibility');
    await producer.connect();

    const aborted = await producer.transaction();
    await aborted.send({
      topic,
      messages: [
        { key: 'k', value: 'aborted-1' },
        { key: 'k', value: 'aborted-2' },
      ],
    });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: 'k', value: 'committed' }] });
    await committed.commit();

    // The committed record sits after the aborted ones, so seeing it means the aborted ones were passed over.
    const readCommitted = await consumeUntil(topic, { readUncommitted: false }, (v) =>
      v.includes('committed'),
    );
    expect(readCommitted).toEqual(['committed']);

    // Control: the aborted records really were written to the log.
    const readUncommitted = await consumeUntil(topic, { readUncommitted: true }, (v) =>
      v.includes('committed'),
    );
    expect(readUncommitted).toEqual(['aborted-1', 'aborted-2', 'committed']);
  });

  it('commits consumed offsets atomically with produced records (sendOffsets, exactly-once)', async () => {
    const input = await createTopic('eos-in');
    const output = await createTopic('eos-out');
    const groupId = `qf-selftest-eos-${runId}`;

    const seed = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    clients.push(seed);
    await seed.connect();
    await seed.send({ topic: input, messages: ['a', 'b', 'c'].map((value) => ({ value })) });

    const producer = transactionalProducer('eos');
    await producer.connect();
    const consumer = kafka.consumer({ groupId, readUncommitted: false });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: input, fromBeginning: true });

    let processed = 0;
    const allProcessed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`processed only ${processed} of 3`)), WAIT_MS);
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const tx = await producer.transaction();
          try {
            await tx.send({ topic: output, messages: [{ value: `${message.value?.toString()}!` }] });
            await tx.sendOffsets({
              consumerGroupId: groupId,
              topics: [{ topic, partitions: [{ partition, offset: String(Number(message.offset) + 1) }] }],
            });
            await tx.commit();
          } catch (err) {
            await tx.abort();
            throw err;
          }
          processed += 1;
          if (processed === 3) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await allProcessed;
    await consumer.disconnect();

    const offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets).toEqual([{ topic: input, partitions: [{ partition: 0, offset: '3', metadata: null }] }]);
    const out = await consumeUntil(output, { readUncommitted: false }, (v) => v.length === 3);
    expect(out).toEqual(['a!', 'b!', 'c!']);
  });
});
