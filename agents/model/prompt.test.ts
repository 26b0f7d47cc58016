import { describe, expect, it } from 'vitest';
import { buildCachedPrompt, renderPerRequest, toToolResultBlock } from './prompt.ts';

const perRequest = {
  context: { userId: 'u-1', workspaceId: 'ws-1', channel: 'telegram', licence: 'pro' },
  now: new Date('2025-03-01T12:34:56.789Z'),
  workspaceBrief: 'BTCUSDT 1h; RSI(14); level 97000',
};
const tool = (name: string) => ({ name, description: name, input_schema: { type: 'object' as const } });
const PNG = 'iVBORw0KGgo=';

describe('buildCachedPrompt', () => {
  const prompt = buildCachedPrompt({
    persona: 'You are the coordinator.',
    tools: [
      tool('mcp__workspace__set_chart'),
      tool('mcp__market-data__get_bars'),
      tool('delegate_to_chartist'),
    ],
    perRequest,
    history: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] },
    ],
    userMessage: 'BTC?',
  });

  it('puts the one breakpoint on the persona, after the tools (rendered first), sorted by name', () => {
    expect(prompt.tools.map((t) => t.name)).toEqual([
      'delegate_to_chartist',
      'mcp__market-data__get_bars',
      'mcp__workspace__set_chart',
    ]);
    expect(prompt.system[0]).toEqual({
      type: 'text',
      text: 'You are the coordinator.',
      cache_control: { type: 'ephemeral' },
    });
    expect(JSON.stringify(prompt).match(/"cache_control"/g)).toHaveLength(1);
  });

  it('puts the per-request text after the breakpoint, as the second system block', () => {
    expect(prompt.system).toHaveLength(2);
    expect(prompt.system[1]).toEqual({ type: 'text', text: renderPerRequest(perRequest) });
    expect(prompt.system[1]).not.toHaveProperty('cache_control');
    // Nothing per-request leaks into the stable prefix or the history.
    const stable = JSON.stringify([prompt.tools, prompt.system[0], prompt.messages]);
    for (const value of ['u-1', 'ws-1', '2025-03-01', 'RSI(14)']) expect(stable).not.toContain(value);
  });

  it('renders who, where, when (UTC, whole seconds) and the brief', () => {
    expect(renderPerRequest(perRequest)).toBe(
      [
        '<request_context>',
        'user_id: u-1',
        'workspace_id: ws-1',
        'channel: telegram',
        'current_time_utc: 2025-03-01T12:34:56Z',
        '</request_context>',
        '<workspace_brief>',
        'BTCUSDT 1h; RSI(14); level 97000',
        '</workspace_brief>',
      ].join('\n'),
    );
    expect(renderPerRequest({ ...perRequest, workspaceBrief: '  ' })).toContain('(empty workspace)');
  });

  it('keeps the stable prefix byte-identical across users and times', () => {
    const other = buildCachedPrompt({
      persona: 'You are the coordinator.',
      tools: [
        tool('mcp__market-data__get_bars'),
        tool('delegate_to_chartist'),
        tool('mcp__workspace__set_chart'),
      ],
      perRequest: { ...perRequest, context: { ...perRequest.context, userId: 'u-2' }, now: new Date() },
      history: [],
      userMessage: 'ETH?',
    });
    expect(JSON.stringify([other.tools, other.system[0]])).toBe(
      JSON.stringify([prompt.tools, prompt.system[0]]),
    );
  });

  it('appends the user message after the history, stripped of stray breakpoints', () => {
    expect(prompt.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
      { role: 'user', content: 'BTC?' },
    ]);
  });

  it('refuses an empty persona', () => {
    expect(() =>
      buildCachedPrompt({ persona: ' ', tools: [], perRequest, history: [], userMessage: 'x' }),
    ).toThrow(/persona/);
  });
});

describe('toToolResultBlock', () => {
  it('passes text and image blocks through and keeps is_error', () => {
    const content = [
      { type: 'text' as const, text: 'RSI(14) added' },
      {
        type: 'image' as const,
        source: { type: 'base64' as const, media_type: 'image/png' as const, data: PNG },
      },
    ];
    expect(toToolResultBlock('toolu_1', { content, isError: false })).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_1',
      content,
    });
    expect(toToolResultBlock('toolu_2', { content: [content[0]!], isError: true })).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_2',
      content: [content[0]],
      is_error: true,
    });
  });
});
