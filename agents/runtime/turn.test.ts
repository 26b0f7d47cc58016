import type { ContentBlock } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import type { ModelClient, ModelRequest, ModelResponse } from '../model/index.ts';
import { TurnCancelledError } from '../model/index.ts';
import { runTurn, type TurnEvent, type TurnSoul, type TurnTools } from './turn.ts';

const context = { userId: 'u1', workspaceId: 'w1', channel: 'test', licence: 'pro' };
const soul = (toolRounds: number): TurnSoul => ({
  name: 'tester',
  persona: 'You test.',
  models: ['m1'],
  limits: { toolRounds, outputTokens: 1000, wallTimeMs: 60_000 },
});
const usage = { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 };

/** A model that answers from a script and keeps the requests it got. */
function scriptedModel(answers: ContentBlock[][]): ModelClient & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    async stream(request) {
      requests.push(request);
      const content = answers.shift();
      if (!content) throw new Error('no answer scripted');
      const toolUse = content.some((b) => b.type === 'tool_use');
      return {
        content,
        stopReason: toolUse ? 'tool_use' : 'end_turn',
        usage,
        model: 'm1',
        id: `msg_${requests.length}`,
      } as ModelResponse;
    },
  };
}
const toolUse = (id: string): ContentBlock =>
  ({ type: 'tool_use', id, name: 'mcp__x__echo', input: { n: id } }) as unknown as ContentBlock;
const text = (t: string): ContentBlock => ({ type: 'text', text: t, citations: null }) as ContentBlock;

const echoTools = (onCall?: () => void): TurnTools => ({
  async list() {
    return [{ name: 'mcp__x__echo', description: 'echo', input_schema: { type: 'object' } }];
  },
  async call(_name, input) {
    onCall?.();
    return { content: [{ type: 'text', text: JSON.stringify(input) }], isError: false };
  },
});

describe('runTurn', () => {
  it('passes each tool result back and ends when the model stops asking', async () => {
    const model = scriptedModel([[toolUse('a')], [toolUse('b')], [text('done')]]);
    const result = await runTurn(
      { model, tools: echoTools() },
      { soul: soul(5), context, workspaceBrief: '', history: [], message: 'go' },
    );
    expect(result.text).toBe('done');
    expect(result.calls).toHaveLength(3);
    expect(model.requests).toHaveLength(3);
    // The third request carries both exchanges: user, assistant(a), results(a), assistant(b), results(b).
    expect(model.requests[2]!.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    expect(JSON.stringify(model.requests[2]!.messages.at(-1))).toContain('"tool_use_id":"b"');
    expect(result.messages).toHaveLength(6);
  });

  it('reports the images a tool returned on its tool_result event, and in the result', async () => {
    const model = scriptedModel([[toolUse('a')], [text('here')]]);
    const image = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' },
    } as const;
    const tools: TurnTools = {
      list: echoTools().list,
      async call() {
        return { content: [{ type: 'text', text: 'chart' }, image], isError: false };
      },
    };
    const events: TurnEvent[] = [];
    const result = await runTurn(
      { model, tools },
      {
        soul: soul(5),
        context,
        workspaceBrief: '',
        history: [],
        message: 'chart it',
        onEvent: (e) => events.push(e),
      },
    );
    expect(events.filter((e) => e.type === 'tool_result')).toEqual([
      { type: 'tool_result', name: 'mcp__x__echo', id: 'a', isError: false, images: [image] },
    ]);
    expect(result.images).toEqual([image]);
  });

  it('stops at the soul’s tool rounds, answering the pending tool_use so the history stays valid', async () => {
    const model = scriptedModel([[toolUse('a')], [toolUse('b')], [toolUse('c')]]);
    let calls = 0;
    const result = await runTurn(
      { model, tools: echoTools(() => calls++) },
      { soul: soul(2), context, workspaceBrief: '', history: [], message: 'go' },
    );
    expect(result.stoppedBy).toBe('tool_rounds');
    expect(model.requests).toHaveLength(2);
    expect(calls).toBe(1);
    const last = result.messages.at(-1)!;
    expect(last.role).toBe('user');
    expect(JSON.stringify(last.content)).toMatch(/"tool_use_id":"b".*"is_error":true/);
    expect(result.text).toMatch(/more tool calls than one turn allows/);
  });

  it('a cancel during a tool call ends the turn at once with TurnCancelledError', async () => {
    const controller = new AbortController();
    const model = scriptedModel([[toolUse('a')], [text('never')]]);
    const promise = runTurn(
      { model, tools: echoTools(() => controller.abort()) },
      { soul: soul(5), context, workspaceBrief: '', history: [], message: 'go', signal: controller.signal },
    );
    await expect(promise).rejects.toThrow(TurnCancelledError);
    expect(model.requests).toHaveLength(1);
  });
});
