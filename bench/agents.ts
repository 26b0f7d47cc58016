/**
 * Agent runtime overhead per turn against the scripted Messages API server: a turn through the runtime (budget check, history load and append, prompt build, tool host, ledger) beside the bare SDK streaming the same answer from the same server, and the in-process MCP tool call inside a turn.
 *
 * Usage: npm run bench -- agents [turns=200]
 * Overhead = runtime turn − bare SDK call, p50/p99 (goal ≤ 20 ms p50); a one-tool turn makes two
 * model calls, so its overhead is against two bare calls (goal for the tool call ≤ 2 ms p50, see
 * `npm run bench -- agents-tools` for the call alone).
 */
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import type { RecordedRequest } from '../agents/testing/messages-server.ts';
import { startMessagesServer } from '../agents/testing/messages-server.ts';
import { openAgentRuntime } from '../app/agents.ts';
import { configSchema, secretsSchema } from '../app/config/index.ts';
import { createLogger } from '../core/logger.ts';
import { openTestServices } from '../mcp-servers/testing/services.ts';

const turns = Number(process.argv[2] ?? 200);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const logger = createLogger({ name: 'bench-agents', level: 'silent' });

/** Answers a user's text with a tool call when asked to, and everything else with text. */
function answer(request: RecordedRequest) {
  const last = request.body.messages.at(-1);
  const asked = typeof last?.content === 'string' ? last.content : '';
  if (asked.startsWith('tool:'))
    return { content: [{ type: 'tool_use' as const, name: 'mcp__workspace__get_workspace', input: {} }] };
  return {
    content: [{ type: 'text' as const, text: 'BTCUSDT 5m closed at 23,112.5 (store, as of 12:00 UTC).' }],
  };
}

const server = await startMessagesServer({ fallback: answer });
const { services, cleanup } = await openTestServices();
const config = configSchema.parse({
  agents: { anthropic: { baseUrl: server.url }, tiers: { pro: { dailyTokens: 1e12 } } },
});
const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-bench' } });
const agents = await openAgentRuntime({ logger, services }, config, secrets, { root: ROOT });
const sdk = new Anthropic({ baseURL: server.url, apiKey: 'sk-bench', maxRetries: 0 });

async function sample(n: number, fn: (i: number) => Promise<unknown>): Promise<Float64Array> {
  for (let i = 0; i < Math.min(20, n); i++) await fn(i);
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times[i] = performance.now() - t0;
  }
  return times.sort();
}
const q = (t: Float64Array, p: number): number => t[Math.min(t.length - 1, Math.floor(p * t.length))]!;
const ms = (x: number): string => `${x.toFixed(2)} ms`;

const bare = await sample(turns, () =>
  sdk.messages
    .stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 256,
      messages: [{ role: 'user', content: 'How is BTC?' }],
    })
    .finalMessage(),
);
// Each user its own conversation, so history stays one turn long as in a fresh chat.
const plain = await sample(turns, (i) =>
  agents.chat({
    context: { userId: `u${i}`, workspaceId: 'w', channel: 'bench', licence: 'pro' },
    text: 'How is BTC?',
  }),
);
const withTool = await sample(turns, (i) =>
  agents.chat({
    context: { userId: `t${i}`, workspaceId: 'w', channel: 'bench', licence: 'pro' },
    text: 'tool: my chart',
  }),
);

const line = (label: string, t: Float64Array, base: Float64Array, calls: number) =>
  `${label.padEnd(44)} p50 ${ms(q(t, 0.5)).padStart(9)}  p99 ${ms(q(t, 0.99)).padStart(9)}  overhead p50 ${ms(q(t, 0.5) - calls * q(base, 0.5))}, p99 ${ms(q(t, 0.99) - calls * q(base, 0.99))}`;
process.stdout.write(
  `${[
    `agents bench: ${turns} turns each, scripted Messages API server on loopback`,
    `${'bare SDK stream (baseline)'.padEnd(44)} p50 ${ms(q(bare, 0.5)).padStart(9)}  p99 ${ms(q(bare, 0.99)).padStart(9)}`,
    line('runtime turn, one model call', plain, bare, 1),
    line('runtime turn, get_workspace tool + 2 calls', withTool, bare, 2),
    `goal: overhead ≤ 20 ms p50: ${q(plain, 0.5) - q(bare, 0.5) <= 20 ? 'met' : 'not met'}`,
  ].join('\n')}\n`,
);
await server.close();
cleanup();
