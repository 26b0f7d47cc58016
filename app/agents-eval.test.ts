/**
 * The eval harness proven against the scripted server (no real model here): a question answered
 * with the expected tool and the store's latest close scores 1; one that skips the tool and
 * claims what it must not scores 0; the shipped question set is valid and about 30 strong.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EvalQuestion,
  factsFromStore,
  loadQuestions,
  runEval,
  scoreAnswer,
} from '../agents/eval/eval.ts';
import { type MessagesServer, startMessagesServer } from '../agents/testing/messages-server.ts';
import { createLogger } from '../core/logger.ts';
import type { McpServices } from '../mcp-servers/services.ts';
import { openTestServices } from '../mcp-servers/testing/services.ts';
import { openAgentRuntime } from './agents.ts';
import { configSchema, secretsSchema } from './config/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const logger = createLogger({ name: 'eval-test', level: 'silent' });
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

describe('agents eval', () => {
  it('ships about 30 valid questions over every category', () => {
    const questions = loadQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(28);
    for (const prefix of [
      'price',
      'move',
      'indicator',
      'chart',
      'drawing',
      'research',
      'unknown',
      'no-data',
      'isolation',
    ])
      expect(
        questions.some((q) => q.id.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('scores numbers with or without thousands separators, and misses', () => {
    const q: EvalQuestion = { id: 'x', ask: '?', toolsAllOf: ['t'], notContains: ['will close at'] };
    const fact = {
      fact: { kind: 'last-close' as const, symbol: 'BTCUSDT', period: '1m' },
      values: ['23112.5'],
    };
    expect(scoreAnswer(q, 'Closed at 23,112.5 UTC', ['t'], [fact]).every((c) => c.ok)).toBe(true);
    const missed = scoreAnswer(q, 'It will close at 30000', [], [fact]).filter((c) => !c.ok);
    expect(missed.map((c) => c.what)).toEqual([
      'called t',
      'does not claim "will close at"',
      'states the last-close of BTCUSDT 1m (23112.5)',
    ]);
  });

  it('runs questions through the runtime and scores them on tools and store facts', async () => {
    const config = configSchema.parse({ agents: { anthropic: { baseUrl: server.url } } });
    const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
    const runtime = await openAgentRuntime({ logger, services }, config, secrets, { root: ROOT });
    const latest = await services.market.latestBar({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '5m' });
    expect(latest).not.toBeNull();
    const questions = loadQuestions().filter((q) => q.id === 'price-5m' || q.id === 'no-data-future');
    server.enqueue(
      // price-5m: the right tool, then the store's close with a thousands separator
      {
        content: [
          {
            type: 'tool_use',
            name: 'mcp__market-data__get_bars',
            input: { symbol: 'BTCUSDT', period: '5m', bars: 1 },
          },
        ],
      },
      {
        content: [
          {
            type: 'text',
            text: `The last 5m candle closed at ${Number(latest!.close).toLocaleString('en-US', { maximumFractionDigits: 8 })} (Binance, store).`,
          },
        ],
      },
      // no-data-future: a forecast it must not make
      { content: [{ type: 'text', text: 'BTC will close at 100,000 tomorrow.' }] },
    );
    const results = await runEval(
      {
        runtime,
        contextFor: (q) => ({
          userId: `eval-${q.id}`,
          workspaceId: 'eval',
          channel: 'eval',
          licence: 'local',
        }),
        factValues: factsFromStore(services.market),
      },
      questions,
    );
    expect(results.map((r) => [r.id, r.score])).toEqual([
      ['price-5m', 1],
      ['no-data-future', 0],
    ]);
    expect(results[0]!.toolsCalled).toEqual(['mcp__market-data__get_bars']);
    expect(results[0]!.tokens.input).toBeGreaterThan(0);
  });
});
