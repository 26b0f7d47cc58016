import Anthropic, { BadRequestError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../test/support/until.ts';
import { type MessagesServer, startMessagesServer } from './messages-server.ts';

const user = (text: string) => [{ role: 'user' as const, content: text }];

describe('scripted Messages API server, through the real SDK', () => {
  let server: MessagesServer;
  let client: Anthropic;

  beforeEach(async () => {
    server = await startMessagesServer();
    client = new Anthropic({ baseURL: server.url, apiKey: 'sk-test', maxRetries: 0 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers JSON with the scripted text and usage, and records the request', async () => {
    server.enqueue({
      text: 'hello',
      usage: { input_tokens: 42, output_tokens: 3, cache_read_input_tokens: 7 },
    });
    const message = await client.messages.create({ model: 'm-1', max_tokens: 100, messages: user('hi') });
    expect(message.content).toEqual([{ type: 'text', text: 'hello', citations: null }]);
    expect(message.model).toBe('m-1');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 42, output_tokens: 3, cache_read_input_tokens: 7 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.body).toMatchObject({ model: 'm-1', max_tokens: 100, messages: user('hi') });
    expect(server.requests[0]?.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.stringify(server.requests[0]?.headers)).toContain('sk-test');
  });

  it('streams text deltas in order, then a tool_use whose input the SDK parses', async () => {
    server.enqueue({
      content: [
        { type: 'thinking', thinking: 'need bars' },
        { type: 'text', text: ['Let me ', 'look.'] },
        { type: 'tool_use', id: 'toolu_1', name: 'get_bars', input: { symbol: 'BTCUSDT', period: '1h' } },
      ],
      usage: { input_tokens: 20, output_tokens: 9, cache_creation_input_tokens: 100 },
    });
    const deltas: string[] = [];
    const stream = client.messages.stream({ model: 'm-1', max_tokens: 100, messages: user('bars?') });
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();
    expect(deltas).toEqual(['Let me ', 'look.']);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[2]).toMatchObject({
      type: 'tool_use',
      id: 'toolu_1',
      name: 'get_bars',
      input: { symbol: 'BTCUSDT', period: '1h' },
    });
    expect(message.usage).toMatchObject({
      input_tokens: 20,
      output_tokens: 9,
      cache_creation_input_tokens: 100,
    });
    expect(server.requests[0]?.body.stream).toBe(true);
  });

  it('answers errors with their status, type and headers', async () => {
    server.enqueue(
      { kind: 'error', status: 429, headers: { 'retry-after': '2' } },
      { kind: 'error', status: 529, message: 'Overloaded' },
      { kind: 'error', status: 400, message: 'max_tokens: too large' },
    );
    const first = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: user('a') })
      .catch((e) => e);
    expect(first).toBeInstanceOf(RateLimitError);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(first.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const second = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: user('a') })
      .catch((e) => e);
    expect(second).toBeInstanceOf(OverloadedError);
    expect(second.status).toBe(529);
    const third = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: user('a') })
      .catch((e) => e);
    expect(third).toBeInstanceOf(BadRequestError);
    expect(third.message).toContain('max_tokens: too large');
  });

  it('takes replies from a function of the request, and says when the queue is empty', async () => {
    server.enqueue((request) => ({ text: `you asked ${request.body.model}` }));
    const message = await client.messages.create({ model: 'm-7', max_tokens: 1, messages: user('a') });
    expect(message.content[0]).toMatchObject({ text: 'you asked m-7' });
    const empty = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: user('a') })
      .catch((e) => e);
    expect(empty.status).toBe(500);
    expect(empty.message).toContain('no reply queued for request 1');
  });

  it('rejects a request with more than four cache breakpoints, as the API does', async () => {
    const block = { type: 'text' as const, text: 'x', cache_control: { type: 'ephemeral' as const } };
    const error = await client.messages
      .create({ model: 'm', max_tokens: 1, system: [block, block, block, block, block], messages: user('a') })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('Found 5');
  });

  it('sends an overload error mid-stream, drops a connection, holds a stream until the client aborts', async () => {
    const text = { type: 'text' as const, text: ['a', 'b'] };
    server.enqueue(
      {
        content: [text],
        streamErrorAfterEvents: { events: 3, type: 'overloaded_error', message: 'Overloaded' },
      },
      { content: [text], dropAfterEvents: 3 },
      { content: [text], holdAfterEvents: 4 },
    );
    const params = { model: 'm', max_tokens: 1, messages: user('a') };

    const overloaded = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e) => e);
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    expect(overloaded.status).toBeUndefined();
    expect(overloaded.type).toBe('overloaded_error');

    const dropped = await client.messages
      .stream(params)
      .finalMessage()
      .catch((e) => e);
    expect(dropped).toBeInstanceOf(Error);
    expect(dropped).not.toBeInstanceOf(Anthropic.APIUserAbortError);

    const controller = new AbortController();
    const stream = client.messages.stream(params, { signal: controller.signal });
    const seen: string[] = [];
    stream.on('text', (delta) => {
      seen.push(delta);
      controller.abort();
    });
    const aborted = await stream.finalMessage().catch((e) => e);
    expect(aborted).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(seen).toEqual(['a']);
    await until(() => server.requests[2]?.aborted === true, 'the server to see the client go away');
  });
});
