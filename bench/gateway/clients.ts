/**
 * The WebSocket clients of `bench/gateway.ts`, in a process of their own (forked with IPC) so the
 * gateway's event loop is not shared with 100 clients parsing JSON. Each client records what it
 * receives — `[key, count, receivedMs]` — and only when the bench asks does this process turn
 * those records into per-trade latencies, so receiving stays cheap.
 *
 * Times are `process.hrtime` (CLOCK_MONOTONIC, the same clock in every process on the machine)
 * minus a base the bench sends, in ms.
 *
 * Two kinds of record: a gateway client records a `bar` message as `[bar time s, volume]` (every
 * bench trade has quantity 1, so a forming bar's volume says how many of its minute's trades it
 * reflects); a raw client (the baseline relay) records `{"g":n}` as `[-1, n]`.
 */
import WebSocket from 'ws';
import { z } from 'zod';
import { advance, compact, type Receiver, receiver, summarize } from './latency.ts';

const connectSchema = z.object({
  op: z.literal('connect'),
  group: z.enum(['gateway', 'raw', 'slow']),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  n: z.number().int().positive(),
  subscribe: z.array(z.record(z.string(), z.unknown())),
});
const measureSchema = z.object({
  op: z.literal('measure'),
  group: z.enum(['gateway', 'raw']),
  /** Bar time (s) → index of the first trade of that minute. */
  firstG: z.array(z.tuple([z.number(), z.number()])),
  from: z.number().int(),
  to: z.number().int(),
  /** Send time (ms) of trades from..to-1. */
  sendMs: z.array(z.number()),
  timeoutMs: z.number(),
});
const messageSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('base'), hrtime: z.string() }),
  connectSchema,
  z.object({ op: z.literal('start') }),
  measureSchema,
  z.object({ op: z.literal('slow-state') }),
  z.object({ op: z.literal('close') }),
]);

interface Client extends Receiver {
  readonly ws: WebSocket;
}

let base = process.hrtime.bigint();
const nowMs = (): number => Number(process.hrtime.bigint() - base) / 1e6;
const groups: Record<'gateway' | 'raw' | 'slow', Client[]> = { gateway: [], raw: [], slow: [] };
let cpuAtStart = process.cpuUsage();

const reply = (message: object): void => {
  process.send?.(message);
};

function open(m: z.output<typeof connectSchema>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(m.url, { headers: m.headers, perMessageDeflate: false });
    const client: Client = { ws, ...receiver() };
    let acks = 0;
    const ready = (): void => {
      if (m.group === 'slow') ws.pause(); // never reads again: the gateway's buffer for it grows
      resolve(client);
    };
    ws.on('error', reject);
    ws.on('open', () => {
      for (const s of m.subscribe) ws.send(JSON.stringify(s));
      if (m.subscribe.length === 0) ready();
    });
    ws.on('message', (data) => {
      const t = nowMs();
      const text = String(data);
      if (m.group === 'raw') {
        client.records.push(-1, (JSON.parse(text) as { g: number }).g, t);
        return;
      }
      const message = JSON.parse(text) as { type: string; time?: number; volume?: number };
      if (message.type === 'bar') client.records.push(message.time ?? 0, message.volume ?? 0, t);
      else if (message.type === 'subscribed' && ++acks === m.subscribe.length) ready();
    });
  });
}

async function measure(m: z.output<typeof measureSchema>): Promise<void> {
  const clients = groups[m.group];
  const firstG = new Map(m.firstG);
  const out: number[] = [];
  const deadline = Date.now() + m.timeoutMs;
  for (;;) {
    for (const c of clients) advance(c, firstG, m.from, m.to, m.sendMs, out);
    if (clients.every((c) => c.maxG >= m.to - 1) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const cpu = process.cpuUsage(cpuAtStart);
  let missing = 0;
  for (const c of clients) missing += Math.max(0, m.to - 1 - Math.max(c.maxG, m.from - 1));
  for (const c of clients) compact(c);
  reply({
    op: 'measured',
    ...summarize(out),
    missing,
    clients: clients.length,
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
}

process.on('message', (raw) => {
  const m = messageSchema.parse(raw);
  switch (m.op) {
    case 'base':
      base = BigInt(m.hrtime);
      break;
    case 'connect':
      Promise.all(Array.from({ length: m.n }, () => open(m))).then(
        (opened) => {
          groups[m.group].push(...opened);
          reply({ op: 'connected', group: m.group });
        },
        (error: unknown) => reply({ op: 'failed', why: String(error) }),
      );
      break;
    case 'start':
      cpuAtStart = process.cpuUsage();
      break;
    case 'measure':
      void measure(m);
      break;
    case 'slow-state': {
      const ws = groups.slow[0]?.ws;
      reply({ op: 'slow-state', readyState: ws?.readyState ?? -1 });
      break;
    }
    case 'close':
      for (const group of Object.values(groups)) for (const c of group) c.ws.terminate();
      process.disconnect();
      break;
  }
});
reply({ op: 'ready' });
