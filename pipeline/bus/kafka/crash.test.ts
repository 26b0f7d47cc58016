/**
 * Kafka only: a transform worker in a child process is SIGKILLed in the middle of its stream
 * (a transaction open or about to be), then a new worker process with the same transactional
 * ids takes over. Every input must appear in the output exactly once, as a read_committed
 * reader sees it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onLines, testRandom, until } from '../../../test/support/index.ts';
import { bytesText, drainTopic, makeTestBus, testBrokers, textBytes, uniqueName } from '../testing/index.ts';
import type { Bus } from '../types.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
const workerScript = path.join(here, 'testing', 'transform-worker.ts');

interface Worker {
  readonly child: ChildProcess;
  batches: number;
  readonly exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    cwd: repoRoot,
    env: { ...process.env, ...env, KAFKA_BROKERS: testBrokers().join(',') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const worker: Worker = {
    child,
    batches: 0,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  onLines(child.stdout!, (line) => {
    if (process.env.QF_DEBUG) process.stderr.write(`worker ${child.pid}: ${line}\n`);
    if (line.startsWith('batch ')) worker.batches++;
  });
  return worker;
}

describe('Kafka transform survives SIGKILL mid-batch', () => {
  let bus: Bus;
  beforeAll(() => {
    bus = makeTestBus('kafka');
  });
  afterAll(async () => {
    // A failed run must not leave a worker behind.
    for (const child of started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await bus.close();
  });

  it('leaves every input in the output exactly once after a kill and restart', {
    timeout: 120_000,
  }, async () => {
    const input = uniqueName('crash.in');
    const output = uniqueName('crash.out');
    const env = {
      QF_IN: input,
      QF_OUT: output,
      QF_GROUP: uniqueName('crash'),
      QF_PREFIX: uniqueName('crash-tx'),
    };
    const spec = { partitions: 3, retentionMs: 3_600_000, cleanupPolicy: 'delete' as const };
    await bus.ensureTopics([
      { name: input, ...spec },
      { name: output, ...spec },
    ]);
    const total = 3000;
    // Many small produce calls make many small record batches, so the worker sees many small batches.
    for (let from = 0; from < total; from += 20) {
      await bus.produce(
        Array.from({ length: 20 }, (_, i) => ({
          topic: input,
          key: `k${(from + i) % 11}`,
          value: textBytes(`id-${from + i}`),
        })),
      );
    }

    const seen = new Set<string>();
    const watcher = await bus.subscribe({
      groupId: uniqueName('crash-watch'),
      topics: [output],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages) seen.add(bytesText(m.value));
      },
    });

    const first = startWorker(env);
    await until(() => first.batches >= 8, 'the first worker to be mid-stream', { timeoutMs: 60_000 });
    // Land the kill at a varying point of a batch: in the handler, sending outputs, or committing
    // (the pause is drawn from a seeded random whose seed is printed; what is asserted holds for any).
    const pauseMs = testRandom('Kafka transform crash test').int(0, 15);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    const seenAtKill = seen.size;

    const second = startWorker(env);
    await until(() => seen.size === total, 'the restarted worker to finish the stream', {
      timeoutMs: 90_000,
    });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await watcher.stop();

    expect(seenAtKill).toBeLessThan(total);
    const counts = new Map<string, number>();
    for (const m of await drainTopic(bus, output, 3)) {
      const id = bytesText(m.value);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.size).toBe(total);
    const duplicated = [...counts].filter(([, n]) => n !== 1);
    expect(duplicated).toEqual([]);
  });
});
