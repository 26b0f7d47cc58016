/**
 * Fuzz: 1,200 malformed calls spread over every tool of every server. No call may crash a
 * server, and every error (tool error or protocol error) must name one of the tool's fields.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedContext } from '../common/index.ts';
import { createNamedServer, MCP_SERVER_NAMES } from '../registry.ts';
import type { McpServices } from '../services.ts';
import { linkClient, textOf } from '../testing/link-client.ts';
import { openTestServices } from '../testing/services.ts';

const ctx = { userId: 'fuzz', workspaceId: 'w', channel: 'test', licence: 'pro' };

/** A valid call per tool; the fuzzer breaks one to three of its fields. */
const BASELINE: Record<string, Record<string, unknown>> = {
  get_bars: { symbol: 'BTCUSDT', period: '5m', from: '2023-01-10', to: '2023-01-11' },
  get_trades: { symbol: 'BTCUSDT', from_seq: 1, to_seq: 50 },
  get_coverage: { symbol: 'XRPETH' },
  get_quote: { symbols: ['BTCUSDT'] },
  get_symbol_info: { symbol: 'BTCUSDT' },
  search_symbols: { query: 'btc' },
  get_series: { uri: 'series://none' },
  watch_subscribe: { symbol: 'BTCUSDT', stream: 'trades' },
  watch_read: { subscription: 'w_none', wait_ms: 0 },
  watch_unsubscribe: { subscription: 'w_none' },
  list_indicators: {},
  compute_indicator: {
    indicator: 'rsi',
    symbol: 'BTCUSDT',
    period: '5m',
    from: '2023-01-10',
    to: '2023-01-11',
  },
  render_chart: { symbol: 'BTCUSDT', period: '5m', bars: 50, width: 400, height: 300, use_workspace: false },
  get_workspace: {},
  set_chart: { symbol: 'BTCUSDT', period: '5m' },
  add_indicator: { indicator: 'sma' },
  remove_indicator: { id: 'i1' },
  add_drawing: { drawing: { type: 'hline', price: 1 } },
  remove_drawing: { id: 'd1' },
  clear_drawings: {},
  request_backfill: { symbol: 'BTCUSDT', from: '2024-01-01', to: '2024-01-02' },
  backfill_status: { job_id: 'job-1' },
  cancel_backfill: { job_id: 'job-1' },
  create_alert: { kind: 'price_level', symbol: 'BTCUSDT', level: 30_000 },
  delete_alert: { alert_id: 'a-1' },
};

const BAD: unknown[] = [
  -1,
  0,
  1e15,
  3.5,
  Number.MAX_SAFE_INTEGER,
  '',
  'x'.repeat(300),
  'nope',
  'BTCUSD',
  '7m',
  '2023-13-45',
  'yesterday',
  null,
  true,
  false,
  [],
  [1, 2],
  {},
  { type: 'circle' },
  [{ indicator: 'zzz' }],
  ['DOGEUSDT'],
  'series://fake',
  '../../etc/passwd',
  { price: 'high' },
  [{ indicator: 'rsi', params: { period: -5 } }],
  '2030-01-01',
  'w_x',
];

/** `field: …` / `field[2]: …` (our errors) or `… at field` / `at field.sub` (SDK input validation). */
function namesField(text: string, field: string): boolean {
  if (text.startsWith(`${field}:`) || text.startsWith(`${field}[`)) return true;
  return new RegExp(`at ${field}(\\.|\\[|\\n|$)`, 'm').test(text);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('fuzz: malformed calls across all tools', () => {
  let services: McpServices;
  let cleanup: () => void;
  const clients: { client: Client; tools: Tool[] }[] = [];
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    const t = await openTestServices();
    services = t.services;
    cleanup = t.cleanup;
    for (const name of MCP_SERVER_NAMES) {
      const linked = await linkClient((await createNamedServer(name, services, fixedContext(ctx))).server);
      clients.push({ client: linked.client, tools: (await linked.client.listTools()).tools });
      closers.push(linked.close);
    }
  }, 60_000);
  afterAll(async () => {
    for (const c of closers) await c();
    cleanup();
  });

  it('answers 1,200 malformed calls without crashing, every error naming a field', async () => {
    const random = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const all = clients.flatMap(({ client, tools }) => tools.map((tool) => ({ client, tool })));
    expect(all.length).toBeGreaterThanOrEqual(23);
    let errors = 0;
    const unnamed: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const { client, tool } = all[i % all.length]!;
      const fields = Object.keys(tool.inputSchema.properties ?? {});
      const args: Record<string, unknown> = { ...(BASELINE[tool.name] ?? {}) };
      const broken =
        fields.length === 0
          ? ['bogus_field']
          : Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(fields));
      for (const f of broken) args[f] = pick(BAD);
      let text: string;
      let isError: boolean;
      try {
        const r = (await client.callTool({ name: tool.name, arguments: args })) as CallToolResult;
        text = textOf(r);
        isError = r.isError === true;
      } catch (error) {
        text = error instanceof Error ? error.message : String(error);
        isError = true;
      }
      if (!isError) continue;
      errors++;
      // pip_install with well-formed packages is refused by the test user's licence: that
      // refusal is about the tier, not an argument, and says so.
      if (tool.name === 'pip_install' && text.includes('not part of your licence')) continue;
      if (!fields.some((f) => namesField(text, f)))
        unnamed.push(`${tool.name} ${JSON.stringify(args).slice(0, 200)} -> ${text.slice(0, 200)}`);
    }
    expect(unnamed).toEqual([]);
    expect(errors).toBeGreaterThan(800);
    // Every server still answers.
    for (const { client } of clients) expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  }, 240_000);
});
