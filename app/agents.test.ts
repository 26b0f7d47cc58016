/**
 * The agent runtime end to end through the real Anthropic SDK against the scripted Messages API
 * server, with the real MCP servers over a store filled from the recorded data: the coordinator
 * reads bars, delegates to the chartist, which adds an RSI and a level to the workspace and
 * renders a chart; the requests carry only each soul's tools, one cache breakpoint after the
 * stable prefix and the workspace brief after it; two users never see each other's data.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnEvent } from '../agents/runtime/turn.ts';
import type { MessagesServer, RecordedRequest } from '../agents/testing/messages-server.ts';
import { startMessagesServer } from '../agents/testing/messages-server.ts';
import { createUsageLedger } from '../agents/usage/index.ts';
import { createLogger } from '../core/logger.ts';
import type { RequestContext } from '../mcp-servers/common/context.ts';
import type { McpServices } from '../mcp-servers/services.ts';
import { btcTrades } from '../mcp-servers/testing/fill-store.ts';
import { openTestServices } from '../mcp-servers/testing/services.ts';
import { createEmbeddedBus, TOPIC_NAMES } from '../pipeline/bus/index.ts';
import { ensureTopics, loadTopics } from '../pipeline/bus/topics.ts';
import type { BusMessage } from '../pipeline/bus/types.ts';
import { until } from '../test/support/index.ts';
import { openAgentRuntime } from './agents.ts';
import { configSchema, secretsSchema } from './config/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const logger = createLogger({ name: 'agents-test', level: 'silent' });
const alice: RequestContext = { userId: 'alice', workspaceId: 'desk', channel: 'web', licence: 'pro' };
const bob: RequestContext = { userId: 'bob', workspaceId: 'desk', channel: 'telegram', licence: 'pro' };

let server: MessagesServer;
let services: McpServices;
let cleanup: () => void;

beforeAll(async () => {
  server = await startMessagesServer();
  ({ services, cleanup } = await openTestServices());
});
afterAll(async () => {
  await server.close();
  cleanup();
});

async function runtime() {
  const config = configSchema.parse({ agents: { anthropic: { baseUrl: server.url } } });
  const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
  return openAgentRuntime({ logger, services }, config, secrets, { root: ROOT, sleep: async () => {} });
}

const toolNames = (r: RecordedRequest): string[] => (r.body.tools ?? []).map((t) => t.name);
const systemText = (r: RecordedRequest): string[] =>
  (r.body.system as { text: string; cache_control?: unknown }[]).map((b) => b.text);

describe('agent runtime', () => {
  it('coordinator reads bars, delegates to the chartist, which draws on the workspace and returns a chart', async () => {
    const agents = await runtime();
    const before = server.requests.length;
    server.enqueue(
      // coordinator
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__market-data__get_bars',
            input: { symbol: 'BTCUSDT', period: '5m', bars: 5 },
          },
        ],
        usage: { input_tokens: 1200, output_tokens: 40, cache_creation_input_tokens: 900 },
      },
      {
        content: [
          {
            type: 'tool_use',
            name: 'delegate_to_chartist',
            input: { task: 'Add RSI(14) and a level at 23000 to the chart, then show it.' },
          },
        ],
        usage: { input_tokens: 300, output_tokens: 30, cache_read_input_tokens: 900 },
      },
      // chartist
      {
        content: [
          { type: 'tool_use', name: 'mcp__workspace__set_chart', input: { symbol: 'BTCUSDT', period: '5m' } },
        ],
        usage: { input_tokens: 800, output_tokens: 20 },
      },
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__workspace__add_indicator',
            input: { indicator: 'rsi', params: { period: 14 } },
          },
        ],
        usage: { input_tokens: 100, output_tokens: 20 },
      },
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__workspace__add_drawing',
            input: { drawing: { type: 'hline', price: 23000, label: 'level' } },
          },
        ],
        usage: { input_tokens: 100, output_tokens: 20 },
      },
      {
        content: [{ type: 'tool_use', name: 'mcp__charting__render_chart', input: { bars: 100 } }],
        usage: { input_tokens: 100, output_tokens: 20 },
      },
      {
        content: [{ type: 'text', text: 'Added RSI(14) and a level at 23000; chart attached.' }],
        usage: { input_tokens: 90, output_tokens: 15 },
      },
      // coordinator, final answer, streamed in pieces
      {
        content: [{ type: 'text', text: ['BTCUSDT 5m: ', 'RSI and the 23000 level ', 'are on your chart.'] }],
        usage: { input_tokens: 120, output_tokens: 25 },
      },
    );
    const streamed: string[] = [];
    const result = await agents.chat({
      context: alice,
      text: 'How is BTC doing? Put an RSI and a level at 23000 on my chart.',
      onEvent: (e) => {
        if (e.type === 'text') streamed.push(e.text);
      },
    });

    expect(result.text).toBe('BTCUSDT 5m: RSI and the 23000 level are on your chart.');
    expect(streamed.join('')).toBe(result.text);
    // The chart the chartist rendered reaches the parent (and the channel) with its result.
    expect(result.images.map((i) => i.source.type === 'base64' && i.source.media_type)).toEqual([
      'image/png',
    ]);
    const ws = await services.workspaces.load(alice);
    expect(ws.indicators.map((i) => i.name)).toContain('rsi');
    expect(JSON.stringify(ws.drawings)).toContain('23000');

    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(8);
    // The ledger holds every call, parent and child, with the usage the server reported.
    const ledger = createUsageLedger({ dataDir: services.dataDir, prices: {}, logger });
    const totals = await ledger.totals('alice', new Date());
    expect(totals).toMatchObject({
      calls: 8,
      inputTokens: 1200 + 300 + 800 + 100 + 100 + 100 + 90 + 120,
      outputTokens: 40 + 30 + 20 + 20 + 20 + 20 + 15 + 25,
      cacheReadTokens: 900,
      cacheWriteTokens: 900,
    });
    const [coordinator, , chartist] = sent as [RecordedRequest, RecordedRequest, RecordedRequest];
    // Only each soul's own tools.
    expect(toolNames(coordinator)).toContain('mcp__market-data__get_bars');
    expect(toolNames(coordinator)).toContain('delegate_to_chartist');
    expect(toolNames(coordinator).some((n) => n.startsWith('mcp__workspace__add_'))).toBe(false);
    expect(toolNames(chartist)).toContain('mcp__workspace__add_drawing');
    expect(toolNames(chartist).some((n) => n.startsWith('delegate_to_'))).toBe(false);
    // One cache breakpoint, on the persona (after the tools), and the per-request text after it.
    const body = JSON.stringify(coordinator.body);
    expect(body.match(/cache_control/g)).toHaveLength(1);
    const system = coordinator.body.system as { text: string; cache_control?: unknown }[];
    expect(system[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(system[1]?.cache_control).toBeUndefined();
    expect(systemText(coordinator)[1]).toContain('<workspace_brief>');
    expect(systemText(coordinator)[1]).toContain('user_id: alice');
    // The chart image went back to the chartist as an image block.
    const lastChartist = sent[6]!;
    expect(JSON.stringify(lastChartist.body.messages)).toContain('"type":"image"');
    // The final answer comes after the child's result, not its transcript.
    const final = JSON.stringify(sent[7]!.body.messages);
    expect(final).toContain('Added RSI(14) and a level at 23000');
    expect(final).not.toContain('mcp__workspace__add_indicator');
  });

  it('keeps two users apart: history, workspace and brief', async () => {
    const agents = await runtime();
    server.enqueue({ content: [{ type: 'text', text: 'Noted, Bob.' }] });
    const before = server.requests.length;
    await agents.chat({ context: bob, text: 'Remember that my stop is at 21000.' });
    const request = server.requests[before]!;
    const text = JSON.stringify(request.body);
    expect(text).not.toContain('alice');
    expect(text).not.toContain('How is BTC doing');
    expect(text).not.toContain('23000');
    expect(systemText(request)[1]).toContain('user_id: bob');
    // A forged argument cannot reach Alice's workspace: the transport fixes the user.
    server.enqueue(
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__workspace__get_workspace',
            input: { userId: 'alice', workspaceId: 'desk' },
          },
        ],
      },
      { content: [{ type: 'text', text: 'Your workspace is empty.' }] },
    );
    const at = server.requests.length;
    await agents.chat({ context: bob, text: 'What is on my chart?' });
    const toolResult = JSON.stringify(server.requests[at + 1]!.body.messages.at(-1));
    expect(toolResult).not.toContain('23000');
    // Bob's kept fact is in his next request; Alice's history is not.
    expect(systemText(server.requests[at]!)[1]).toContain('21000');
  });

  it('refuses a user over the tier budget before any model call, saying when it resets', async () => {
    const config = configSchema.parse({
      agents: { anthropic: { baseUrl: server.url } },
      licences: { tiers: { pro: { dailyTokens: 1 } }, ownerTier: 'pro' },
    });
    const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
    const agents = await openAgentRuntime({ logger, services }, config, secrets, { root: ROOT });
    const before = server.requests.length;
    // Alice has spent far more than 1 token today in the first test.
    await expect(agents.chat({ context: alice, text: 'hello' })).rejects.toThrow(/resets at 00:00 UTC/);
    expect(server.requests.length).toBe(before);
  });

  it('publishes the turn to log.chat and its usage to log.usage, keyed by user id', async () => {
    const bus = createEmbeddedBus({ logger });
    await ensureTopics(bus, loadTopics());
    const seen: BusMessage[] = [];
    const sub = await bus.subscribe({
      groupId: 'agents-test-logs',
      topics: [TOPIC_NAMES.logChat, TOPIC_NAMES.logChatPro, TOPIC_NAMES.logUsage],
      fromBeginning: true,
      handler: async (batch) => {
        seen.push(...batch.messages);
      },
    });
    const config = configSchema.parse({ agents: { anthropic: { baseUrl: server.url } } });
    const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
    const agents = await openAgentRuntime({ logger, services }, config, secrets, { root: ROOT, bus });
    const carol: RequestContext = { userId: 'carol', workspaceId: 'w', channel: 'web', licence: 'pro' };
    server.enqueue({
      content: [{ type: 'text', text: 'Hello Carol.' }],
      usage: { input_tokens: 77, output_tokens: 7 },
    });
    await agents.chat({ context: carol, text: 'hi' });
    await until(() => seen.some((m) => m.topic === TOPIC_NAMES.logUsage), 'the usage record');
    // Carol is on the pro tier: her chat goes to the pro topic (a year of retention), not log.chat.
    await until(() => seen.filter((m) => m.topic === TOPIC_NAMES.logChatPro).length >= 2, 'the chat records');
    expect(seen.some((m) => m.topic === TOPIC_NAMES.logChat)).toBe(false);
    expect(seen.every((m) => m.key === 'carol')).toBe(true);
    const usage = JSON.parse(
      Buffer.from(seen.find((m) => m.topic === TOPIC_NAMES.logUsage)!.value).toString(),
    );
    expect(usage).toMatchObject({ userId: 'carol', inputTokens: 77, outputTokens: 7 });
    await sub.stop();
    await bus.close();
  });

  it('past the compaction threshold sends a summary instead of the old turns, and a kept fact stays', async () => {
    const config = configSchema.parse({
      agents: { anthropic: { baseUrl: server.url }, history: { compactAtTokens: 200 } },
    });
    const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
    const agents = await openAgentRuntime({ logger, services }, config, secrets, { root: ROOT });
    const dave: RequestContext = { userId: 'dave', workspaceId: 'w', channel: 'web', licence: 'pro' };
    // About 150 estimated tokens, then about 70: the third turn finds the history past 200.
    server.enqueue({
      content: [
        { type: 'text', text: 'The ETHUSDT order book looked thin around the round number. '.repeat(9) },
      ],
    });
    await agents.chat({ context: dave, text: 'OLD-QUESTION about ETHUSDT depth' });
    server.enqueue({ content: [{ type: 'text', text: 'Noted: spot only. '.repeat(10) }] });
    await agents.chat({ context: dave, text: 'Remember that I trade only spot.' });
    // The model is first asked for a summary of the older turn, then answers.
    server.enqueue(
      { content: [{ type: 'text', text: 'SUMMARY: Dave asked about ETHUSDT depth; the book was thin.' }] },
      { content: [{ type: 'text', text: 'Noted.' }] },
    );
    const at = server.requests.length;
    await agents.chat({ context: dave, text: 'And now?' });
    const [summarize, turn] = [server.requests[at]!, server.requests[at + 1]!];
    expect(JSON.stringify(summarize.body.messages)).toContain('OLD-QUESTION');
    expect(systemText(turn)[1]).toContain('SUMMARY: Dave asked about ETHUSDT depth');
    expect(systemText(turn)[1]).toContain('I trade only spot');
    expect(JSON.stringify(turn.body.messages)).not.toContain('OLD-QUESTION');
  });

  it("the researcher runs Python over the stored trades: BTCUSDT 1m realised volatility equals this test's own, a PNG comes back on the tool_result event, and the run is a commit in the user's repository", async () => {
    const agents = await runtime();
    const erin: RequestContext = { userId: 'erin', workspaceId: 'w', channel: 'web', licence: 'pro' };
    const code = [
      '# realised volatility of BTCUSDT 1m log returns',
      'import json, math',
      'import polars as pl',
      'import matplotlib.pyplot as plt',
      'import qf',
      't = qf.trades("BTCUSDT")',
      'm = (t.with_columns((pl.col("time_us") // 60_000_000).alias("minute"))',
      '      .group_by("minute", maintain_order=True).agg(pl.col("price").last().alias("close")).sort("minute"))',
      'r = m.select(pl.col("close").log().diff().alias("r")).drop_nulls()["r"]',
      'fig, ax = plt.subplots()',
      'ax.plot(m["minute"].to_list(), m["close"].to_list())',
      'fig.savefig("/workspace/scratch/out/btc.png")',
      'print(json.dumps({"minutes": m.height, "rv": math.sqrt((r ** 2).sum())}))',
      '',
    ].join('\n');
    server.enqueue(
      { content: [{ type: 'tool_use', name: 'mcp__research__run_python', input: { code } }] },
      { content: [{ type: 'text', text: 'Realised volatility computed; plot attached.' }] },
    );
    const at = server.requests.length;
    const events: TurnEvent[] = [];
    const result = await agents.chat({
      context: erin,
      soul: 'researcher',
      text: 'What is the realised volatility of BTCUSDT 1m log returns in the stored trades?',
      onEvent: (e) => events.push(e),
    });
    expect(result.text).toBe('Realised volatility computed; plot attached.');
    expect(toolNames(server.requests[at]!)).toContain('mcp__research__run_python');

    // The number the tool returned to the model, against this test's own over the same trades.
    const toolResult = JSON.stringify(server.requests[at + 1]!.body.messages.at(-1));
    const stdout = /\{\\"minutes\\": (\d+), \\"rv\\": ([0-9.e-]+)\}/.exec(toolResult);
    expect(stdout, toolResult.slice(0, 2000)).not.toBeNull();
    const last = new Map<number, number>();
    for (const t of btcTrades()) last.set(Math.floor(t.timeUs / 60_000_000), Number(t.price));
    const closes = [...last.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
    let sum = 0;
    for (let i = 1; i < closes.length; i++) sum += Math.log(closes[i]! / closes[i - 1]!) ** 2;
    expect(closes.length).toBeGreaterThan(10);
    expect(Number(stdout![1])).toBe(closes.length);
    expect(Number(stdout![2])).toBeCloseTo(Math.sqrt(sum), 12);

    // The plot: an image on the tool_result event (the gateway's chat.image) and in the result.
    const done = events.find((e) => e.type === 'tool_result' && e.name === 'mcp__research__run_python');
    expect(done?.type === 'tool_result' && done.isError).toBe(false);
    const images = done?.type === 'tool_result' ? (done.images ?? []) : [];
    expect(images).toHaveLength(1);
    const png = images[0]!.source.type === 'base64' ? images[0]!.source.data : '';
    expect(Buffer.from(png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(result.images).toHaveLength(1);

    // The run's code is the newest commit of erin's repository.
    const git = (...args: string[]) =>
      execFileSync('git', ['--git-dir', join(services.dataDir, 'research', 'erin', '.git'), ...args], {
        encoding: 'utf8',
      });
    expect(git('log', '-1', '--format=%s')).toBe('realised volatility of BTCUSDT 1m log returns\n');
    expect(git('show', 'HEAD:src/runs/1.py')).toBe(code);
  }, 120_000);

  it('runs without the research server when told (no venv): the researcher loads and goes without its tools', async () => {
    const config = configSchema.parse({ agents: { anthropic: { baseUrl: server.url } } });
    const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
    const agents = await openAgentRuntime({ logger, services }, config, secrets, {
      root: ROOT,
      without: ['research'],
    });
    server.enqueue({ content: [{ type: 'text', text: 'No sandbox here.' }] });
    const at = server.requests.length;
    const frank: RequestContext = { userId: 'frank', workspaceId: 'w', channel: 'web', licence: 'pro' };
    await agents.chat({ context: frank, soul: 'researcher', text: 'hi' });
    const names = toolNames(server.requests[at]!);
    expect(names).toContain('mcp__market-data__get_bars');
    expect(names.some((n) => n.startsWith('mcp__research__'))).toBe(false);
  });
});
