/**
 * Gateway end to end: trade into the pipeline → forming bar at 100 WebSocket clients (p50/p99 at 1k and 10k trades/s, with and without a slow client), /api/candles 1,000 bars from the cache, page load to first candles in Chromium.
 *
 * Usage: npm run bench -- gateway [seconds=5]   (GATEWAY_BENCH_CLIENTS=100, GATEWAY_BENCH_PAGE=0 skips Chromium)
 *
 * One process runs what `npm start` runs for this path: an embedded-bus pipeline session (raw
 * Binance ingest with its default batch/linger, normalize → dedup → sequence → 1m bars), the
 * realtime bridge and ZeroMQ publisher, and the gateway (`startGateway`: ZeroMQ subscriber →
 * live-bar cache + live router → WebSocket hub). The clients live in a child process
 * (bench/gateway/clients.ts), so 100 clients parsing JSON do not share the gateway's event loop;
 * their CPU is printed apart. Each trade is stamped (monotonic clock, shared by both processes)
 * just before the ingest takes it; its latency at a client is the arrival of the first `bar`
 * message whose volume covers it (every trade has quantity 1). Every trade counts, including
 * those coalesced into a later bar message.
 *
 * Baseline measured in the same run: the same pacing through a bare relay — one ZeroMQ PUB→SUB
 * hop and a plain `ws` broadcast to the same clients — the transport without pipeline or gateway.
 * Goals (issue 11): p99 ≤ 25 ms at 10k trades/s with 100 clients; one slow client changes nothing
 * for the others; /api/candles 1,000 bars p50 ≤ 5 ms from the cache; first candles ≤ 1 s.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { configSchema, secretsSchema } from '../app/config/index.ts';
import { startGateway } from '../app/gateway.ts';
import { createLogger } from '../core/logger.ts';
import { openTestServices } from '../mcp-servers/testing/services.ts';
import { busConfigSchema } from '../pipeline/bus/config.ts';
import { processorsConfigSchema } from '../pipeline/processors/index.ts';
import {
  createRealtimeBridge,
  createZmqPublisher,
  createZmqSubscriber,
  QuoteBook,
} from '../pipeline/realtime/index.ts';
import { openPipelineSession } from '../pipeline/runtime/index.ts';
import { parseStoreConfig } from '../pipeline/store/index.ts';
import { binanceConfigSchema, createBinanceIngest } from '../pipeline/venues/binance/index.ts';
import { launchChromium } from '../test/support/browser.ts';
import { candlesFromCache, quantiles } from './gateway/candles-http.ts';
import { clock, createTradeSource, pace, startRawRelay } from './gateway/feed.ts';
import { advance, compact, receiver, type Summary, summarize } from './gateway/latency.ts';
import { pageLoads } from './gateway/page-load.ts';

const seconds = Number(process.argv[2] ?? 5);
const CLIENTS = Number(process.env.GATEWAY_BENCH_CLIENTS ?? 100);
const withPage = process.env.GATEWAY_BENCH_PAGE !== '0';
const logger = createLogger({ name: 'bench-gateway', level: 'warn' });
const started = performance.now();

interface Measured {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly missing: number;
  readonly clients: number;
  readonly cpuMs: number;
}
interface PhaseResult extends Measured {
  readonly label: string;
  /** Trade → bar on a ZeroMQ SUB socket in this process: the pipeline's share. */
  readonly zmq?: Summary;
  readonly rate: number;
  readonly seconds: number;
  readonly serverCpuMs: number;
  /** Longest the server's event loop was held during the phase, ms. */
  readonly loopMaxMs: number;
}

// ---- the clients' process ------------------------------------------------------------------

const child: ChildProcess = fork(fileURLToPath(new URL('./gateway/clients.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
/** Sends `message` and resolves with the child's next message of op `op`. */
function ask<T>(message: object | undefined, op: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { op: string; why?: string }) => {
      if (m.op !== op && m.op !== 'failed') return;
      child.off('message', onMessage);
      if (m.op === 'failed') reject(new Error(`clients: ${m.why}`));
      else resolve(m as T);
    };
    child.on('message', onMessage);
    if (message !== undefined) child.send(message);
  });
}
await ask(undefined, 'ready');
const { base, nowMs } = clock();
child.send({ op: 'base', hrtime: base.toString() });

// ---- pipeline, bridge, gateway ---------------------------------------------------------------

const pipelineDir = mkdtempSync(join(tmpdir(), 'qf-bench-gateway-'));
const { services, cleanup: cleanupServices } = await openTestServices();
const session = await openPipelineSession(
  { logger },
  {
    bus: busConfigSchema.parse({ kind: 'embedded' }),
    store: parseStoreConfig({ dataDir: pipelineDir }),
    processors: processorsConfigSchema.parse({}),
  },
);
const wallClock = () => Date.now() * 1000;
const pipeline = await session.start({ clock: wallClock });
const publisher = await createZmqPublisher(
  { logger },
  { pubEndpoint: 'tcp://127.0.0.1:*', sendHighWaterMark: 100_000, queueLimit: 200_000 },
);
const bridge = await createRealtimeBridge({
  bus: session.bus,
  logger,
  publisher,
  quotes: new QuoteBook(),
  resolveAssets: () => ({ base: 'BTC', quote: 'USDT' }),
});
const ingestDefaults = binanceConfigSchema.shape.ingest.parse(
  process.env.GATEWAY_BENCH_LINGER_MS === undefined
    ? undefined
    : { lingerMs: Number(process.env.GATEWAY_BENCH_LINGER_MS) },
);
const ingest = createBinanceIngest({ bus: session.bus, logger }, { venue: 'BINANCE', ...ingestDefaults });
const config = configSchema.parse({ gateway: { port: 0 } });
const gateway = await startGateway({ logger, services }, config, secretsSchema.parse({}), {
  servers: ['market-data'],
  liveEndpoint: publisher.endpoint,
});
const bearer = { Authorization: `Bearer ${gateway.mcpToken}` };
const relay = await startRawRelay();

const fmt = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(ms < 10 ? 2 : 1) : '—');
const out: string[] = [];

// ---- /api/candles and the page, while the feed is quiet ---------------------------------------

const candles = await candlesFromCache(gateway, bearer, 'BTCUSDT', 300);
gateway.liveBars.clear();
let page: { dcl: number; candles: number; painted: number; runs: number[] } | undefined;
if (withPage) {
  const login = await fetch(gateway.loginUrl, { redirect: 'manual' });
  const [name = '', value = ''] = (login.headers.get('set-cookie') ?? '').split(';')[0]!.split('=');
  const browser = await launchChromium();
  try {
    const runs = await pageLoads(browser, `${gateway.url}/`, { name, value }, 5);
    const median = (k: 'dcl' | 'candles' | 'painted') => quantiles(runs.map((r) => r[k])).p50;
    page = {
      dcl: median('dcl'),
      candles: median('candles'),
      painted: median('painted'),
      runs: runs.map((r) => r.painted),
    };
  } finally {
    await browser.close();
  }
}

// ---- live latency ----------------------------------------------------------------------------

const barsSub = { op: 'subscribe', stream: 'bars', exchange: 'BINANCE', symbol: 'BTCUSDT', period: '1m' };
const wsUrl = `${gateway.url.replace(/^http/, 'ws')}/ws`;
await ask(
  { op: 'connect', group: 'gateway', url: wsUrl, headers: bearer, n: CLIENTS, subscribe: [barsSub] },
  'connected',
);
await ask(
  { op: 'connect', group: 'raw', url: relay.url, headers: {}, n: CLIENTS, subscribe: [] },
  'connected',
);
await relay.joined();

const source = createTradeSource(ingest, nowMs);
// A tap on the feed in this process (as the gateway's own subscriber): trade → bar on ZeroMQ.
const tap = receiver();
const tapSub = createZmqSubscriber(
  {
    logger,
    onEvent: (e) => {
      if (e.kind === 'bar' && e.period === '1m')
        tap.records.push(Math.floor(e.openTimeUs / 1e6), Number(e.volume), nowMs());
    },
  },
  { endpoint: publisher.endpoint, prefixes: ['bar.1m.BINANCE.BTCUSDT'] },
);

/** What the clients are asked to have received in a phase (see bench/gateway/clients.ts `measure`). */
interface MeasureRequest {
  readonly group: string;
  readonly firstG: readonly (readonly [number, number])[];
  readonly from: number;
  readonly to: number;
  readonly sendMs: number[];
}

/**
 * One phase: `drive` sends at `rate` for `secs` and says what the clients should have got; their
 * latencies come back with the server's CPU time and its longest event-loop delay meanwhile.
 */
async function measuredPhase(
  label: string,
  rate: number,
  secs: number,
  drive: () => Promise<MeasureRequest>,
): Promise<PhaseResult> {
  child.send({ op: 'start' });
  const cpu0 = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const request = await drive();
  const m = await ask<Measured>({ op: 'measure', ...request, timeoutMs: 5000 }, 'measured');
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  return {
    ...m,
    label,
    rate,
    seconds: secs,
    serverCpuMs: (cpu.user + cpu.system) / 1000,
    loopMaxMs: loop.max / 1e6,
  };
}

async function pipelinePhase(label: string, rate: number, secs: number): Promise<PhaseResult> {
  const from = source.next;
  let to = from;
  const sendMs: number[] = [];
  const result = await measuredPhase(label, rate, secs, async () => {
    await pace(rate, secs, (n) => source.send(n, sendMs));
    to = source.next;
    return { group: 'gateway', firstG: [...source.firstG], from, to, sendMs };
  });
  const zmq: number[] = [];
  advance(tap, source.firstG, from, to, sendMs, zmq);
  compact(tap);
  return { ...result, zmq: summarize(zmq) };
}

/** Index of the next baseline message's trade (clients keep their high-water mark across phases). */
let rawG = 0;
function rawPhase(label: string, rate: number, secs: number): Promise<PhaseResult> {
  return measuredPhase(label, rate, secs, async () => {
    const from = rawG;
    const sendMs: number[] = [];
    await pace(rate, secs, (n) => {
      const t = nowMs();
      for (let i = 0; i < n; i++) sendMs.push(t);
      rawG += n;
      relay.publish(rawG - 1);
    });
    return { group: 'raw', firstG: [], from, to: rawG, sendMs };
  });
}

/** The gateway's WebSocket counters from /metrics. */
async function wsCounters(): Promise<Record<string, number>> {
  const text = await (await fetch(`${gateway.url}/metrics`, { headers: bearer })).text();
  const counters: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(qf_gateway_ws_[a-z_]+)(\{stream="(\w+)"\})? ([\d.e+]+)$/.exec(line);
    if (m) counters[m[3] ? `${m[1]}.${m[3]}` : m[1]!] = Number(m[4]);
  }
  return counters;
}

// The sequencer holds a fresh series one reorder window (2 s): warm up past it.
await pipelinePhase('warm-up', 1000, 3);
const phases: PhaseResult[] = [];
phases.push(await rawPhase('bare relay, 1k/s', 1000, seconds));
phases.push(await pipelinePhase('pipeline → gateway, 1k/s', 1000, seconds));
phases.push(await rawPhase('bare relay, 10k/s', 10_000, seconds));
phases.push(await pipelinePhase('pipeline → gateway, 10k/s', 10_000, seconds));
const slowSeconds = Math.max(seconds, 8);
phases.push(await pipelinePhase('10k/s, 100 clients, longer', 10_000, slowSeconds));
const before = await wsCounters();
await ask(
  {
    op: 'connect',
    group: 'slow',
    url: wsUrl,
    headers: bearer,
    n: 1,
    subscribe: [barsSub, { op: 'subscribe', stream: 'trades', exchange: 'BINANCE', symbol: 'BTCUSDT' }],
  },
  'connected',
);
phases.push(await pipelinePhase('10k/s, + 1 client not reading', 10_000, slowSeconds));
const after = await wsCounters();

// ---- report ------------------------------------------------------------------------------------

out.push(
  `gateway bench: ${CLIENTS} WebSocket clients in a child process, 1m bars of BINANCE:BTCUSDT; ` +
    `ingest batch ${ingestDefaults.batchSize}, linger ${ingestDefaults.lingerMs} ms${process.env.GATEWAY_BENCH_LINGER_MS === undefined ? ' (the live defaults)' : ' (GATEWAY_BENCH_LINGER_MS)'}; ${seconds} s per rate`,
);
out.push(
  `${'trade → bar at client'.padEnd(38)} ${'p50'.padStart(7)} ${'p90'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(7)} ms  ` +
    `${'samples'.padStart(9)} missing  CPU server / clients  loop max  trade → bar on ZeroMQ p50/p99`,
);
for (const p of phases) {
  out.push(
    `  ${p.label.padEnd(36)} ${fmt(p.p50).padStart(7)} ${fmt(p.p90).padStart(7)} ${fmt(p.p99).padStart(7)} ${fmt(p.max).padStart(7)}     ` +
      `${String(p.n).padStart(9)} ${String(p.missing).padStart(7)}  ${((p.serverCpuMs / (p.seconds * 1000)) * 100).toFixed(0).padStart(3)}% / ${`${((p.cpuMs / (p.seconds * 1000)) * 100).toFixed(0)}%`.padEnd(4)} ${fmt(p.loopMaxMs).padStart(8)}   ${p.zmq ? `${fmt(p.zmq.p50)} / ${fmt(p.zmq.p99)}` : ''}`,
  );
}
const [raw1k, pipe1k, raw10k, pipe10k, noSlow, withSlow] = phases as [
  PhaseResult,
  PhaseResult,
  PhaseResult,
  PhaseResult,
  PhaseResult,
  PhaseResult,
];
out.push(
  `  ratio pipeline/bare relay p99: 1k/s ${(pipe1k.p99 / raw1k.p99).toFixed(1)}×, 10k/s ${(pipe10k.p99 / raw10k.p99).toFixed(1)}×; ` +
    `p50: 1k/s ${(pipe1k.p50 / raw1k.p50).toFixed(1)}×, 10k/s ${(pipe10k.p50 / raw10k.p50).toFixed(1)}×`,
);
const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
const slowState = await ask<{ readyState: number }>({ op: 'slow-state' }, 'slow-state');
out.push(
  `  slow client: the gateway dropped ${delta('qf_gateway_ws_messages_dropped_total.trades')} trades and conflated ` +
    `${delta('qf_gateway_ws_messages_dropped_total.bars')} bars for it, closed ${delta('qf_gateway_ws_slow_closes_total')} (1013); ` +
    `others' p99 with/without it ${(withSlow.p99 / noSlow.p99).toFixed(2)}× (client socket state ${slowState.readyState})`,
);
out.push(
  `/api/candles 1,000 bars from the cache, real HTTP: p50 ${fmt(candles.candles.p50)} ms, p99 ${fmt(candles.candles.p99)} ms ` +
    `(${Math.round(candles.bytes / 1024)} kB); /healthz same way p50 ${fmt(candles.healthz.p50)} ms; ratio p50 ${(candles.candles.p50 / candles.healthz.p50).toFixed(1)}×`,
);
if (page) {
  out.push(
    `page load → first candles painted (Chromium, cold context, median of 5): ${fmt(page.painted)} ms ` +
      `[${page.runs.map((r) => r.toFixed(0)).join(', ')}]; DOMContentLoaded ${fmt(page.dcl)} ms, /api/candles answered ${fmt(page.candles)} ms`,
  );
}
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
out.push(
  `goals: p99 ≤ 25 ms at 10k/s: ${fmt(pipe10k.p99)} ms ${verdict(pipe10k.p99 <= 25)}; ` +
    `slow client: others' p99 ${fmt(withSlow.p99)} vs ${fmt(noSlow.p99)} ms; ` +
    `/api/candles p50 ≤ 5 ms: ${verdict(candles.candles.p50 <= 5)}; ` +
    `first candles ≤ 1 s: ${page ? verdict(page.painted <= 1000) : 'skipped'}`,
);
out.push(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.stdout.write(`${out.join('\n')}\n`);

// ---- stop ----------------------------------------------------------------------------------------

child.send({ op: 'close' });
await tapSub.close();
await relay.close();
await ingest.close();
await bridge.stop();
await publisher.close();
await gateway.stop();
await pipeline.settled({ quietMs: 200, timeoutMs: 10_000 }).catch(() => undefined);
await session.close();
cleanupServices();
rmSync(pipelineDir, { recursive: true, force: true });
