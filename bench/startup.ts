/**
 * Start-up: time to `quantforge --help`, to a stdio MCP server answering tools/list, and to a Kafka pipeline stage consuming, beside `node -e 0`.
 *
 * Usage: npm run bench -- startup [runs=5] [help,mcp,pipeline]   (KAFKA_BROKERS, default 127.0.0.1:19092)
 * Each figure is the median of `runs` fresh processes of bin/quantforge.mjs (run one first,
 * so dist/ is built and the OS file cache is warm), printed with its ratio to the baseline.
 * The stage is ready when `quantforge pipeline` has said it runs (its consumer has subscribed
 * and joined its group) and prints its first `--status-every` line; it runs in the namespace
 * `bench-startup` on an empty store and is stopped with SIGTERM, so it leaves its group at once.
 * Issue goals: --help and tools/list under 1 s, a stage consuming within 3 s.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const runs = Number(process.argv[2] ?? 5);
const only = new Set((process.argv[3] ?? 'help,mcp,pipeline').split(','));
const BIN = resolve(import.meta.dirname, '..', 'bin', 'quantforge.mjs');
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
const dataDir = mkdtempSync(join(tmpdir(), 'qf-bench-startup-'));
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  KAFKA_BROKERS: brokers,
  QF_BUS__KIND: 'kafka',
  QF_BUS__KAFKA__NAMESPACE: 'bench-startup',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};

/** Milliseconds until `args` (a node command line) exits with status 0. */
function timeToExit(args: readonly string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0
        ? done(performance.now() - t0)
        : fail(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

/** Milliseconds from spawning a stdio MCP server to its tools/list answer. */
async function timeToToolsList(server: string): Promise<number> {
  const t0 = performance.now();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', server, '--data-dir', dataDir, '--user', 'local'],
    env,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench-startup', version: '0' });
  try {
    await client.connect(transport);
    const { tools } = await client.listTools();
    if (tools.length === 0) throw new Error(`mcp ${server}: no tools listed`);
    return performance.now() - t0;
  } finally {
    await client.close();
  }
}

/**
 * Milliseconds from spawning `quantforge pipeline --stages <stage>` to its first `status` line,
 * then stops it. The first status line follows the "running" line by a timer tick (1 ms), and
 * unlike that line it comes after the command listens for SIGTERM, so stopping it at once is safe.
 */
function timeToStageRunning(stage: string): Promise<number> {
  const t0 = performance.now();
  const args = [BIN, 'pipeline', '--stages', stage, '--status-every', '1', '--data-dir', dataDir];
  const child = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | string | null>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal)),
  );
  return new Promise<number>((done, fail) => {
    let ready: number | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (ready === undefined && line.startsWith('status ')) {
        ready = performance.now() - t0;
        child.kill('SIGTERM');
      }
    });
    void exited.then((code) =>
      ready !== undefined && code === 0
        ? done(ready)
        : fail(new Error(`pipeline --stages ${stage} exited ${code} (ready: ${ready}): ${stderr}`)),
    );
  });
}

async function median(label: string, measure: () => Promise<number>): Promise<number> {
  await measure(); // warm-up: builds dist/ if needed, fills the file cache, creates the topics
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await measure());
  times.sort((a, b) => a - b);
  const m = times[Math.floor(times.length / 2)]!;
  const range = `(${times[0]!.toFixed(0)}–${times.at(-1)!.toFixed(0)})`;
  process.stdout.write(`${label.padEnd(44)} ${m.toFixed(0).padStart(6)} ms ${range.padEnd(14)}`);
  return m;
}

try {
  process.stdout.write(`start-up, median of ${runs} runs (min–max)\n`);
  const base = await median('baseline: node -e 0', () => timeToExit(['-e', '0']));
  process.stdout.write('\n');
  const goals: string[] = [];
  /** Prints the ratio to the baseline and notes the goal `limitMs`. */
  const report = (what: string, ms: number, limitMs: number) => {
    process.stdout.write(`${(ms / base).toFixed(1).padStart(6)}× baseline\n`);
    goals.push(`${what} < ${limitMs / 1000} s: ${ms < limitMs ? 'met' : 'NOT met'}`);
  };
  if (only.has('help')) {
    report('--help', await median('quantforge --help', () => timeToExit([BIN, '--help'])), 1000);
  }
  if (only.has('mcp')) {
    for (const server of ['market-data', 'indicators', 'charting']) {
      const ms = await median(`mcp ${server}: tools/list over stdio`, () => timeToToolsList(server));
      report(`${server} tools/list`, ms, 1000);
    }
  }
  if (only.has('pipeline')) {
    report(
      'stage',
      await median('pipeline --stages trades: consuming', () => timeToStageRunning('trades')),
      3000,
    );
  }
  process.stdout.write(`goals: ${goals.join('; ')}\n`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
