/**
 * The Bus contract, run against both backends: every backend must pass the same suite.
 * Kafka runs against the broker in KAFKA_BROKERS with unique topic and group names per test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeCodec, TradeCodec } from '../../proto/index.ts';
import { until } from '../../test/support/index.ts';
import {
  type BackendKind,
  bytesText,
  CONSUME_WAIT,
  drainTopic,
  makeTestBus,
  recordedTrades,
  textBytes,
  uniqueName,
} from './testing/index.ts';
import { deadLetterTopic } from './topic-names.ts';
import { type Bus, type BusMessage, DLQ_HEADERS, type TopicSpec } from './types.ts';

const topicSpec = (name: string, partitions: number): TopicSpec => ({
  name,
  partitions,
  retentionMs: 3_600_000,
  cleanupPolicy: 'delete',
});

describe.each<BackendKind>(['embedded', 'kafka'])('Bus contract: %s', (kind) => {
  let bus: Bus;

  beforeAll(() => {
    bus = makeTestBus(kind);
  });
  afterAll(async () => {
    await bus.close();
  });

  it('keeps per-key order across produce calls and partitions (recorded BTCUSDT trades)', async () => {
    const topic = uniqueName('contract.order');
    await bus.ensureTopics([topicSpec(topic, 4)]);
    // Real trades, spread over 8 keys so several partitions are used; each key's trades in file order.
    const trades = recordedTrades(4000).map((t, i) => ({ ...t, key: `BINANCE:BTCUSDT:${i % 8}` }));
    for (let i = 0; i < trades.length; i += 1000) {
      await bus.produce(trades.slice(i, i + 1000).map((t) => ({ topic, key: t.key, value: t.value })));
    }
    const seen = new Map<string, string[]>();
    let count = 0;
    const subscription = await bus.subscribe({
      groupId: uniqueName('order'),
      topics: [topic],
      fromBeginning: true,
      handler: async (batch) => {
        for (const message of batch.messages) {
          const envelope = EnvelopeCodec.decode(message.value);
          const trade = TradeCodec.decode(envelope.payload);
          const key = message.key ?? '';
          if (!seen.has(key)) seen.set(key, []);
          seen.get(key)!.push(trade.tradeId);
          count++;
        }
      },
    });
    await until(() => count >= trades.length, 'all trades consumed', CONSUME_WAIT);
    await subscription.stop();
    expect(count).toBe(trades.length);
    expect(seen.size).toBe(8);
    for (const [key, ids] of seen) {
      expect(ids).toEqual(trades.filter((t) => t.key === key).map((t) => t.tradeId));
    }
  });

  it('loses nothing when a second member joins and the first leaves mid-stream', async () => {
    const topic = uniqueName('contract.rebalance');
    const groupId = uniqueName('rebalance');
    await bus.ensureTopics([topicSpec(topic, 4)]);
    const total = 3000;
    const received = new Set<number>();
    const perMember = [0, 0];
    const handlerFor = (member: number) => async (batch: { messages: readonly BusMessage[] }) => {
      for (const message of batch.messages) received.add(Number(bytesText(message.value)));
      perMember[member]! += batch.messages.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const produceRange = (from: number, to: number) =>
      bus.produce(
        Array.from({ length: to - from }, (_, i) => ({
          topic,
          key: `k${(from + i) % 16}`,
          value: textBytes(String(from + i)),
        })),
      );

    const first = await bus.subscribe({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: handlerFor(0),
    });
    await produceRange(0, 1000);
    await until(() => received.size > 0, 'first member consuming', CONSUME_WAIT);
    const second = await bus.subscribe({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: handlerFor(1),
    });
    await produceRange(1000, 2000);
    await until(() => perMember[1]! > 0, 'second member consuming after the rebalance', CONSUME_WAIT);
    await first.stop();
    await produceRange(2000, total);
    await until(() => received.size === total, 'every message consumed', CONSUME_WAIT);
    await second.stop();
    expect(perMember[0]).toBeGreaterThan(0);
    expect(received.size).toBe(total);
    expect(Math.min(...received)).toBe(0);
    expect(Math.max(...received)).toBe(total - 1);
  });

  it('delivers a batch again when its handler throws (at-least-once)', async () => {
    const topic = uniqueName('contract.retry');
    await bus.ensureTopics([topicSpec(topic, 1)]);
    await bus.produce(
      Array.from({ length: 20 }, (_, i) => ({ topic, key: 'k', value: textBytes(String(i)) })),
    );
    const delivered: string[] = [];
    const batchStarts: string[] = [];
    let failures = 0;
    let handled = 0;
    const subscription = await bus.subscribe({
      groupId: uniqueName('retry'),
      topics: [topic],
      fromBeginning: true,
      handler: async (batch) => {
        const values = batch.messages.map((m) => bytesText(m.value));
        delivered.push(...values);
        batchStarts.push(values[0] ?? '');
        if (failures < 2) {
          failures++;
          throw new Error('simulated failure before the batch was handled');
        }
        handled += values.length;
      },
    });
    await until(() => handled >= 20, 'every message handled after two failures', CONSUME_WAIT);
    await subscription.stop();
    // The failed batches came again from their first offset, in order; nothing was skipped.
    expect(batchStarts.slice(0, 3)).toEqual(['0', '0', '0']);
    expect(delivered.filter((v) => v === '0').length).toBe(3);
    expect([...new Set(delivered)]).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('tells a member its partitions (onAssigned) before handing it their batches', async () => {
    const topic = uniqueName('contract.assign');
    await bus.ensureTopics([topicSpec(topic, 3)]);
    await bus.produce(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => ({ topic, key, value: textBytes(key) })));
    let assigned: readonly { topic: string; partition: number }[] = [];
    const assignedAtBatch: number[] = [];
    let count = 0;
    const subscription = await bus.subscribe({
      groupId: uniqueName('assign'),
      topics: [topic],
      fromBeginning: true,
      onAssigned: async (partitions) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        assigned = partitions;
      },
      handler: async (batch) => {
        assignedAtBatch.push(assigned.length);
        count += batch.messages.length;
      },
    });
    await until(() => count >= 6, 'all messages', CONSUME_WAIT);
    await subscription.stop();
    expect(assigned.map((tp) => tp.partition).sort()).toEqual([0, 1, 2]);
    expect(assigned.every((tp) => tp.topic === topic)).toBe(true);
    expect(assignedAtBatch.every((n) => n === 3)).toBe(true);
  });

  it('routes a poison message to the DLQ with its reason and goes on', async () => {
    const topic = uniqueName('contract.poison');
    await bus.ensureTopics([topicSpec(topic, 2)]);
    const values = ['ok-1', 'ok-2', '{not json', 'ok-3', 'ok-4'];
    await bus.produce(
      values.map((v) => ({ topic, key: 'BINANCE:BTCUSDT', value: textBytes(v), headers: { src: 't' } })),
    );
    const good: string[] = [];
    let poisonOffset = '';
    const subscription = await bus.subscribe({
      groupId: uniqueName('poison'),
      topics: [topic],
      fromBeginning: true,
      handler: async (batch) => {
        for (const message of batch.messages) {
          const text = bytesText(message.value);
          if (text.startsWith('ok-')) good.push(text);
          else {
            poisonOffset = message.offset;
            await bus.deadLetter(message, {
              code: 'malformed_json',
              message: 'Unexpected token n in JSON at position 1',
              source: 'contract.test',
            });
          }
        }
      },
    });
    await until(() => good.length === 4, 'the good messages after the poison one', CONSUME_WAIT);
    await subscription.stop();
    expect(good).toEqual(['ok-1', 'ok-2', 'ok-3', 'ok-4']);

    const dead = await drainTopic(bus, deadLetterTopic(topic), 1);
    expect(dead).toHaveLength(1);
    const [letter] = dead;
    expect(bytesText(letter!.value)).toBe('{not json');
    expect(letter!.key).toBe('BINANCE:BTCUSDT');
    expect(letter!.headers).toMatchObject({
      src: 't',
      [DLQ_HEADERS.reasonCode]: 'malformed_json',
      [DLQ_HEADERS.reasonMessage]: 'Unexpected token n in JSON at position 1',
      [DLQ_HEADERS.source]: 'contract.test',
      [DLQ_HEADERS.originalTopic]: topic,
      [DLQ_HEADERS.originalOffset]: poisonOffset,
    });
    expect(Number.isNaN(Date.parse(letter!.headers![DLQ_HEADERS.failedAt]!))).toBe(false);
  });

  it('finishes and commits the in-flight batch on stop', async () => {
    const topic = uniqueName('contract.stop');
    const groupId = uniqueName('stop');
    await bus.ensureTopics([topicSpec(topic, 1)]);
    await bus.produce(
      Array.from({ length: 50 }, (_, i) => ({ topic, key: 'k', value: textBytes(String(i)) })),
    );
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const firstRun: string[] = [];
    let started = false;
    let finished = false;
    const first = await bus.subscribe({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: async (batch) => {
        if (finished) throw new Error('no second batch expected after stop was called');
        started = true;
        await gate;
        for (const m of batch.messages) firstRun.push(bytesText(m.value));
        finished = true;
      },
    });
    await until(() => started, 'the first batch to start', CONSUME_WAIT);
    const stopping = first.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(firstRun.length).toBeGreaterThan(0);

    // The stopped member committed its batch: the next member gets only what came after it.
    const secondRun: string[] = [];
    const second = await bus.subscribe({
      groupId,
      topics: [topic],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages) secondRun.push(bytesText(m.value));
      },
    });
    await bus.produce([{ topic, key: 'k', value: textBytes('after') }]);
    await until(() => secondRun.includes('after'), 'the record produced after the restart', CONSUME_WAIT);
    await second.stop();
    expect([...firstRun, ...secondRun]).toEqual([
      ...Array.from({ length: 50 }, (_, i) => String(i)),
      'after',
    ]);
  });

  it('reads a compacted view: last value per key, tombstones removed', async () => {
    const topic = uniqueName('contract.compact');
    await bus.ensureTopics([{ ...topicSpec(topic, 2), cleanupPolicy: 'compact' }]);
    await bus.produce([
      { topic, key: 'a', value: textBytes('a1') },
      { topic, key: 'b', value: textBytes('b1') },
      { topic, key: 'a', value: textBytes('a2') },
      { topic, key: 'c', value: textBytes('c1') },
      { topic, key: 'c', value: new Uint8Array(0) },
    ]);
    const state = await bus.readCompacted(topic);
    expect([...state.keys()].sort()).toEqual(['a', 'b']);
    expect(bytesText(state.get('a')!)).toBe('a2');
    expect(bytesText(state.get('b')!)).toBe('b1');
    expect((await bus.readCompacted(uniqueName('contract.empty'))).size).toBe(0);
  });
});
