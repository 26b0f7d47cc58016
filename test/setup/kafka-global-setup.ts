/**
 * Vitest global setup: makes a real Kafka broker available to every test run.
 *
 * - `KAFKA_BROKERS` set: that cluster is used; it must answer a metadata request or the run fails.
 * - otherwise: `deploy/kafka/kafka.sh start --lease <pid>` starts (downloading on first use) or reuses the
 *   local broker, and `KAFKA_BROKERS=127.0.0.1:19092` is exported so forked test workers inherit it.
 *   Teardown releases the lease; the script stops the broker only if a lease started it and no other
 *   test run still holds one (a broker started by hand with `kafka.sh start` keeps running).
 *
 * The brokers are also `provide`d as `kafkaBrokers`; tests read them with `kafkaBrokers()` from `./kafka.ts`.
 * Failure to reach Kafka throws with the reason: Kafka suites are never skipped silently.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { LOCAL_KAFKA_BROKERS, parseBrokerList } from './brokers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const kafkaDir = path.join(repoRoot, 'deploy', 'kafka');
const EXTERNAL_PROBE_TIMEOUT_MS = 20_000;

/** Runs a command with its output on our stderr; resolves with the last lines of stderr on failure. */
function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; tail: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, tail: tail.trim() }));
  });
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.KAFKA_BROKERS;
  if (external !== undefined && external.trim() !== '') {
    const brokers = parseBrokerList(external).join(',');
    const probe = await run('node', ['probe.mjs', brokers, String(EXTERNAL_PROBE_TIMEOUT_MS)], kafkaDir);
    if (probe.code !== 0) {
      throw new Error(`Kafka at KAFKA_BROKERS=${brokers} is not reachable: ${probe.tail}`);
    }
    project.provide('kafkaBrokers', brokers);
    return undefined;
  }

  const lease = String(process.pid);
  const script = path.join(kafkaDir, 'kafka.sh');
  const started = await run('bash', [script, 'start', '--lease', lease], repoRoot);
  if (started.code !== 0) {
    await run('bash', [script, 'release', lease], repoRoot);
    throw new Error(
      `could not start the local Kafka broker (deploy/kafka/kafka.sh start exited ${started.code}): ${started.tail}\n` +
        'See deploy/kafka/.run/server.log, or set KAFKA_BROKERS to use another cluster.',
    );
  }
  process.env.KAFKA_BROKERS = LOCAL_KAFKA_BROKERS;
  project.provide('kafkaBrokers', LOCAL_KAFKA_BROKERS);

  return async () => {
    const released = await run('bash', [script, 'release', lease], repoRoot);
    if (released.code !== 0) process.stderr.write(`[kafka] releasing the broker failed: ${released.tail}\n`);
  };
}
