import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../test/support/until.ts';
import { type MessagesServer, startMessagesServer } from '../testing/messages-server.ts';
import { createModelClient, timerSleep } from './client.ts';
import {
  AllModelsFailedError,
  MODELS_UNAVAILABLE_MESSAGE,
  ModelRequestError,
  TurnCancelledError,
} from './errors.ts';
import { buildCachedPrompt } from './prompt.ts';
import type { ModelClient, ModelRequest, ModelStreamEvent } from './types.ts';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const PRIMARY = 'claude-primary';
const FALLBACK = 'claude-fallback';

const request = (models: string[] = [PRIMARY, FALLBACK]): ModelRequest => ({
  models,
  system: [{ type: 'text', text: 'You are terse.' }],
  tools: [],
  messages: [{ role: 'user', content: 'price of BTC?' }],
  maxTokens: 256,
});

describe('model client, through the real SDK against the scripted server', () => {
  let server: MessagesServer;
  let client: ModelClient;
  let sleeps: number[];
  let events: ModelStreamEvent[];
  const onEvent = (e: ModelStreamEvent): void => {
    events.push(e);
  };

  beforeEach(async () => {
    server = await startMessagesServer();
    sleeps = [];
    events = [];
    client = createModelClient(
      {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
        now: () => NOW,
      },
      { baseUrl: server.url, apiKey: 'sk-test-key' },
    );
  });
  afterEach(async () => {
    await server.close();
  });

  const models = (): string[] => server.requests.map((r) => r.body.model);

  it('streams text to onEvent in order and resolves to the final message with its usage', async () => {
    server.enqueue({
      content: [{ type: 'text', text: ['BTC ', 'is ', '97 000 USDT.'] }],
      usage: {
        input_tokens: 30,
        output_tokens: 8,
        cache_read_input_tokens: 1200,
        cache_creation_input_tokens: 40,
      },
    });
    const response = await client.stream(request(), { onEvent });
    expect(events.filter((e) => e.type === 'text').map((e) => e.text)).toEqual([
      'BTC ',
      'is ',
      '97 000 USDT.',
    ]);
    expect(response.content).toEqual([{ type: 'text', text: 'BTC is 97 000 USDT.', citations: null }]);
    expect(response.stopReason).toBe('end_turn');
    expect(response.model).toBe(PRIMARY);
    expect(response.usage).toEqual({ input: 30, output: 8, cacheRead: 1200, cacheWrite: 40 });
    // Usage comes first (input side) and last (with output), equal to the response's at the end.
    expect(events[0]).toMatchObject({ type: 'usage', usage: { input: 30, cacheRead: 1200 } });
    expect(events.at(-1)).toEqual({ type: 'usage', model: PRIMARY, usage: response.usage });
    expect(server.requests[0]?.body).toMatchObject({ stream: true, max_tokens: 256, model: PRIMARY });
    expect(JSON.stringify(server.requests[0]?.headers)).toContain('sk-test-key');
  });

  it('parses a tool_use turn and announces the call as it starts', async () => {
    server.enqueue({
      toolUse: {
        id: 'toolu_9',
        name: 'mcp__market-data__get_bars',
        input: { symbol: 'BTCUSDT', period: '1h', limit: 24 },
      },
      text: 'Fetching bars.',
    });
    const response = await client.stream(request(), { onEvent });
    expect(response.stopReason).toBe('tool_use');
    expect(response.content[1]).toMatchObject({
      type: 'tool_use',
      id: 'toolu_9',
      name: 'mcp__market-data__get_bars',
      input: { symbol: 'BTCUSDT', period: '1h', limit: 24 },
    });
    expect(events).toContainEqual({
      type: 'tool_use',
      index: 1,
      id: 'toolu_9',
      name: 'mcp__market-data__get_bars',
    });
  });

  it('retries a 529 after a jittered backoff, then succeeds on the same model', async () => {
    server.enqueue({ kind: 'error', status: 529, message: 'Overloaded' }, { text: 'ok' });
    const response = await client.stream(request(), { onEvent });
    expect(response.content[0]).toMatchObject({ text: 'ok' });
    expect(models()).toEqual([PRIMARY, PRIMARY]);
    // base 500 ms for attempt 1, jittered into its upper half with random() = 0.5.
    expect(sleeps).toEqual([375]);
    expect(events[0]).toEqual({
      type: 'retry',
      model: PRIMARY,
      attempt: 1,
      delayMs: 375,
      reason: '529 overloaded_error: Overloaded',
    });
  });

  it('falls back to the next model when the primary answers 529 on every attempt', async () => {
    server.enqueue(
      { kind: 'error', status: 529 },
      { kind: 'error', status: 529 },
      { kind: 'error', status: 529 },
      { text: 'from the fallback' },
    );
    const response = await client.stream(request(), { onEvent });
    expect(models()).toEqual([PRIMARY, PRIMARY, PRIMARY, FALLBACK]);
    expect(response.model).toBe(FALLBACK);
    expect(response.content[0]).toMatchObject({ text: 'from the fallback' });
    // Backoff doubles per attempt; no wait before switching model.
    expect(sleeps).toEqual([375, 750]);
    expect(events).toContainEqual({
      type: 'fallback',
      from: PRIMARY,
      to: FALLBACK,
      reason: '529 overloaded_error: overloaded_error',
    });
  });

  it('gives a plain message when every model fails, with each model’s reason for the log', async () => {
    server.enqueue(
      { kind: 'error', status: 529 },
      { kind: 'error', status: 500, message: 'boom' },
      { kind: 'error', status: 503, message: 'down' },
      { kind: 'error', status: 429, message: 'slow down' },
      { kind: 'error', status: 529 },
      { kind: 'error', status: 502, message: 'bad gateway' },
    );
    const error = await client.stream(request()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllModelsFailedError);
    const failed = error as AllModelsFailedError;
    expect(failed.message).toBe(MODELS_UNAVAILABLE_MESSAGE);
    expect(failed.retriable).toBe(false);
    expect(failed.failures).toEqual([
      { model: PRIMARY, attempts: 3, reason: '503 api_error: down' },
      { model: FALLBACK, attempts: 3, reason: '502 api_error: bad gateway' },
    ]);
    expect(failed.detail).toContain(`${FALLBACK} (3 attempts)`);
    expect(models()).toEqual([PRIMARY, PRIMARY, PRIMARY, FALLBACK, FALLBACK, FALLBACK]);
  });

  it('honours retry-after on a 429: seconds, an HTTP date, and a cap', async () => {
    server.enqueue(
      { kind: 'error', status: 429, headers: { 'retry-after': '2' } },
      { kind: 'error', status: 429, headers: { 'retry-after': new Date(NOW + 5_000).toUTCString() } },
      { text: 'ok' },
    );
    await client.stream(request());
    expect(sleeps).toEqual([2_000, 5_000]);
    expect(models()).toEqual([PRIMARY, PRIMARY, PRIMARY]);

    server.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '3600' } }, { text: 'ok' });
    await client.stream(request());
    expect(sleeps.at(-1)).toBe(60_000);
  });

  it('does not retry a 400; the error says what the API said', async () => {
    server.enqueue({ kind: 'error', status: 400, message: 'messages.0.content: must not be empty' });
    const error = await client.stream(request(), { onEvent }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRequestError);
    expect((error as ModelRequestError).status).toBe(400);
    expect((error as Error).message).toContain('invalid_request_error');
    expect((error as Error).message).toContain('messages.0.content: must not be empty');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(events).toEqual([]);
  });

  it('retries a dropped connection and an overload sent mid-stream', async () => {
    const text = { type: 'text' as const, text: ['par', 'tial'] };
    server.enqueue(
      { content: [text], dropAfterEvents: 4 },
      {
        content: [text],
        streamErrorAfterEvents: { events: 4, type: 'overloaded_error', message: 'Overloaded' },
      },
      { text: 'whole' },
    );
    const response = await client.stream(request(), { onEvent });
    expect(response.content[0]).toMatchObject({ text: 'whole' });
    expect(models()).toEqual([PRIMARY, PRIMARY, PRIMARY]);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.reason)).toEqual([
      expect.stringContaining('stream interrupted'),
      'stream overloaded_error: Overloaded',
    ]);
    // A retry event voids the partial text before it.
    expect(events.map((e) => (e.type === 'text' ? e.text : e.type)).filter((e) => e !== 'usage')).toEqual([
      'par',
      'retry',
      'par',
      'retry',
      'whole',
    ]);
  });

  it('stops at once on abort mid-stream, rejects with TurnCancelledError, and sends nothing more', async () => {
    server.enqueue(
      { content: [{ type: 'text', text: ['first', 'never'] }], holdAfterEvents: 4 },
      { text: 'unused' },
    );
    const controller = new AbortController();
    const error = await client
      .stream(request(), {
        signal: controller.signal,
        onEvent: (e) => {
          events.push(e);
          if (e.type === 'text') controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnCancelledError);
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', index: 0, text: 'first' }]);
    await until(() => server.requests[0]?.aborted === true, 'the server to see the stream closed');
    expect(server.requests).toHaveLength(1);
    expect(server.pending()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('a cancel during backoff ends the call without another attempt', async () => {
    const controller = new AbortController();
    const cancelling = createModelClient(
      {
        sleep: (ms) => {
          sleeps.push(ms);
          controller.abort();
          return new Promise(() => {}); // a real wait, cut short only by the abort
        },
        random: () => 0.5,
        now: () => NOW,
      },
      { baseUrl: server.url, apiKey: 'sk-test-key' },
    );
    server.enqueue({ kind: 'error', status: 529 }, { text: 'unused' });
    const error = await cancelling.stream(request(), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnCancelledError);
    expect(server.requests).toHaveLength(1);
    expect(server.pending()).toBe(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    server.enqueue({ text: 'unused' });
    const error = await client.stream(request(), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnCancelledError);
    expect(server.requests).toHaveLength(0);
  });

  it('asks for extended thinking with the soul budget and streams the thinking', async () => {
    server.enqueue({
      content: [
        { type: 'thinking', thinking: 'RSI first' },
        { type: 'text', text: 'ok' },
      ],
    });
    const response = await client.stream({ ...request(), thinking: { budgetTokens: 1024 } }, { onEvent });
    expect(server.requests[0]?.body.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(events).toContainEqual({ type: 'thinking', index: 0, thinking: 'RSI first' });
    expect(response.content.map((b) => b.type)).toEqual(['thinking', 'text']);
  });

  it('an onEvent that throws is not a model failure: not retried, passed on', async () => {
    server.enqueue({ text: ['a', 'b'] }, { text: 'unused' });
    const bug = new Error('channel closed');
    const error = await client
      .stream(request(), {
        onEvent: () => {
          throw bug;
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBe(bug);
    expect(server.requests).toHaveLength(1);
  });

  it('sends the cached prompt as built: one breakpoint after tools + persona, per-request text after it', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const prompt = buildCachedPrompt({
      persona: 'You are the chartist.',
      tools: [
        {
          name: 'mcp__workspace__add_indicator',
          description: 'Add an indicator',
          input_schema: { type: 'object' },
        },
        { name: 'mcp__market-data__get_bars', description: 'Bars', input_schema: { type: 'object' } },
      ],
      perRequest: {
        context: { userId: 'u-1', workspaceId: 'ws-1', channel: 'web', licence: 'pro' },
        now: new Date(NOW),
        workspaceBrief: 'BTCUSDT 1h, RSI(14)',
      },
      history: [
        { role: 'user', content: 'chart BTC' },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'toolu_1',
              name: 'mcp__market-data__get_bars',
              input: { symbol: 'BTCUSDT' },
            },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [
                { type: 'text', text: 'no data before 2024-01-01' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
              ],
              is_error: true,
            },
          ],
        },
      ],
      userMessage: 'and now?',
    });
    server.enqueue({ text: 'done' });
    await client.stream({ models: [PRIMARY], ...prompt, maxTokens: 100 });
    const body = server.requests[0]?.body;
    expect(body?.tools?.map((t) => t.name)).toEqual([
      'mcp__market-data__get_bars',
      'mcp__workspace__add_indicator',
    ]);
    expect(body?.tools?.every((t) => !('cache_control' in t))).toBe(true);
    expect(body?.system).toEqual([
      { type: 'text', text: 'You are the chartist.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: expect.stringContaining('user_id: u-1') },
    ]);
    const system = body?.system;
    const perRequest = Array.isArray(system) ? system[1]?.text : undefined;
    expect(perRequest).toContain('current_time_utc: 2025-03-01T12:00:00Z');
    expect(perRequest).toContain('BTCUSDT 1h, RSI(14)');
    expect(JSON.stringify(body).match(/"cache_control"/g)).toHaveLength(1);
    expect(body?.messages).toEqual(prompt.messages);
    expect(body?.messages.at(-1)).toEqual({ role: 'user', content: 'and now?' });
  });

  it('checks its options when built, naming the key', () => {
    expect(() =>
      createModelClient(
        { sleep: async () => {}, random: Math.random, now: Date.now },
        { baseUrl: 'x', apiKey: 'k' },
      ),
    ).toThrow(/baseUrl/);
    expect(() =>
      createModelClient(
        { sleep: async () => {}, random: Math.random, now: Date.now },
        { baseUrl: server.url, apiKey: '' },
      ),
    ).toThrow(/apiKey/);
  });
});

describe('timerSleep', () => {
  it('ends early, rejecting, when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = timerSleep(3_600_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
