/**
 * The Bus contract, part 2: exactly-once `transform`, run against both backends (see
 * contract.test.ts for the rest of the contract).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../test/support/index.ts';
import {
  type BackendKind,
  bytesText,
  CONSUME_WAIT,
  drainTopic,
  makeTestBus,
  textBytes,
  uniqueName,
} from './testing/index.ts';
import type { Bus, BusMessage, TopicSpec } from './types.ts';

const topicSpec = (name: string, partitions: number): TopicSpec => ({
  name,
  partitions,
  retentionMs: 3_600_000,
  cleanupPolicy: 'delete',
});

describe.each<BackendKind>(['embedded', 'kafka'])('Bus transform contract: %s', (kind) => {
  let bus: Bus;

  beforeAll(() => {
    bus = makeTestBus(kind);
  });
  afterAll(async () => {
    await bus.close();
  });

  it('transforms exactly once through a failing handler and a worker restart', async () => {
    const input = uniqueName('contract.tin');
    const output = uniqueName('contract.tout');
    const groupId = uniqueName('transform');
    const prefix = uniqueName('tx');
    await bus.ensureTopics([topicSpec(input, 3), topicSpec(output, 3)]);
    const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
    const produceIds = (list: number[]) =>
      bus.produce(list.map((id) => ({ topic: input, key: `k${id % 7}`, value: textBytes(String(id)) })));
    let failuresLeft = 2;
    const transformOptions = {
      groupId,
      topics: [input],
      transactionalIdPrefix: prefix,
      fromBeginning: true,
      handler: async (batch: { messages: readonly BusMessage[] }) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('simulated handler failure');
        }
        return batch.messages.map((m) => ({
          topic: output,
          key: m.key,
          value: textBytes(`out-${bytesText(m.value)}`),
        }));
      },
    };
    await produceIds(ids(0, 600));
    const first = await bus.transform(transformOptions);
    // The output is read_committed: once 600 are visible, their offsets were committed with them.
    let visible = 0;
    const watcher = await bus.subscribe({
      groupId: uniqueName('watch'),
      topics: [output],
      fromBeginning: true,
      handler: async (batch) => {
        visible += batch.messages.length;
      },
    });
    await until(() => visible >= 600, 'first worker output', CONSUME_WAIT);
    await first.stop();
    // A second worker in the same group resumes after the committed offsets: nothing is redone.
    await produceIds(ids(600, 900));
    const second = await bus.transform(transformOptions);
    await until(() => visible >= 900, 'second worker output', CONSUME_WAIT);
    await second.stop();
    await watcher.stop();

    const out = await drainTopic(bus, output, 3);
    const counts = new Map<string, number>();
    for (const m of out) counts.set(bytesText(m.value), (counts.get(bytesText(m.value)) ?? 0) + 1);
    expect(failuresLeft).toBe(0);
    expect(counts.size).toBe(900);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.get('out-0')).toBe(1);
    expect(counts.get('out-899')).toBe(1);
  });

  it('transforms exactly once while a second worker joins and the first leaves', async () => {
    const input = uniqueName('contract.rin');
    const output = uniqueName('contract.rout');
    await bus.ensureTopics([topicSpec(input, 4), topicSpec(output, 4)]);
    const options = {
      groupId: uniqueName('rtransform'),
      topics: [input],
      transactionalIdPrefix: uniqueName('rtx'),
      fromBeginning: true,
      handler: async (batch: { messages: readonly BusMessage[] }) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return batch.messages.map((m) => ({ topic: output, key: m.key, value: m.value }));
      },
    };
    let visible = 0;
    const watcher = await bus.subscribe({
      groupId: uniqueName('rwatch'),
      topics: [output],
      fromBeginning: true,
      handler: async (batch) => {
        visible += batch.messages.length;
      },
    });
    const produceRange = async (from: number, to: number) => {
      for (let i = from; i < to; i += 50) {
        await bus.produce(
          Array.from({ length: 50 }, (_, j) => ({
            topic: input,
            key: `k${(i + j) % 13}`,
            value: textBytes(`${i + j}`),
          })),
        );
      }
    };
    const first = await bus.transform(options);
    await produceRange(0, 1000);
    await until(() => visible > 0, 'first worker output', CONSUME_WAIT);
    const second = await bus.transform(options);
    await produceRange(1000, 2000);
    await first.stop();
    await produceRange(2000, 3000);
    await until(() => visible >= 3000, 'all output', CONSUME_WAIT);
    await second.stop();
    await watcher.stop();
    const counts = new Map<string, number>();
    for (const m of await drainTopic(bus, output, 4)) {
      counts.set(bytesText(m.value), (counts.get(bytesText(m.value)) ?? 0) + 1);
    }
    expect(counts.size).toBe(3000);
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
  });
});
