import { describe, expect, it } from 'vitest';
import { type ChatEvent, type ChatState, initialChatState, reduceChat, safeImageUrl } from './chat-state.ts';

const run = (events: readonly ChatEvent[], from: ChatState = initialChatState): ChatState =>
  events.reduce(reduceChat, from);

describe('reduceChat', () => {
  it('hello says whether chat is available, and why not', () => {
    expect(run([{ type: 'hello', chat: true }]).available).toBe(true);
    const off = run([{ type: 'hello', chat: false, chatWhy: 'set ANTHROPIC_API_KEY' }]);
    expect(off.available).toBe(false);
    expect(off.unavailableWhy).toBe('set ANTHROPIC_API_KEY');
  });

  it('streams a turn: text deltas join, tool lines go running → done, images in order, busy until done', () => {
    const s = run([
      { type: 'sent', text: 'draw support' },
      { type: 'chat.start', turn: 't1', soul: 'chartist' },
      { type: 'chat.delta', turn: 't1', text: 'Look' },
      { type: 'chat.delta', turn: 't1', text: 'ing…' },
      { type: 'chat.tool', turn: 't1', name: 'add_drawing', state: 'running' },
      { type: 'chat.tool', turn: 't1', name: 'get_bars', state: 'running' },
      { type: 'chat.tool', turn: 't1', name: 'add_drawing', state: 'done' },
      { type: 'chat.tool', turn: 't1', name: 'get_bars', state: 'error' },
      { type: 'chat.image', turn: 't1', url: '/files/a.png', mediaType: 'image/png' },
      { type: 'chat.delta', turn: 't1', text: 'Done.' },
    ]);
    expect(s.busy).toBe(true);
    expect(s.items[0]).toMatchObject({ kind: 'user', text: 'draw support' });
    expect(s.items[1]).toMatchObject({
      kind: 'answer',
      soul: 'chartist',
      status: 'streaming',
      parts: [
        { kind: 'text', text: 'Looking…' },
        { kind: 'tool', name: 'add_drawing', state: 'done' },
        { kind: 'tool', name: 'get_bars', state: 'error' },
        { kind: 'image', url: '/files/a.png' },
        { kind: 'text', text: 'Done.' },
      ],
    });
    const done = reduceChat(s, { type: 'chat.done', turn: 't1', text: 'Looking…Done.' });
    expect(done.busy).toBe(false);
    expect(done.items[1]).toMatchObject({ status: 'done' });
    expect(done.items[1]).toHaveProperty('parts.length', 5);
  });

  it('uses the final text when nothing streamed', () => {
    const s = run([
      { type: 'sent', text: 'hi' },
      { type: 'chat.done', turn: 't2', text: 'Hello.' },
    ]);
    expect(s.items[1]).toMatchObject({
      kind: 'answer',
      status: 'done',
      parts: [{ kind: 'text', text: 'Hello.' }],
    });
  });

  it('changes only the item a message is about (the panel re-renders just that one)', () => {
    const s = run([
      { type: 'sent', text: 'hi' },
      { type: 'chat.start', turn: 't1', soul: 'coordinator' },
    ]);
    const next = reduceChat(s, { type: 'chat.delta', turn: 't1', text: 'x' });
    expect(next.items[0]).toBe(s.items[0]);
    expect(next.items[1]).not.toBe(s.items[1]);
  });

  it('an error ends the turn; one without a turn is a notice', () => {
    const s = run([
      { type: 'sent', text: 'hi' },
      { type: 'chat.start', turn: 't1', soul: 'c' },
      { type: 'chat.error', turn: 't1', why: 'budget exhausted' },
      { type: 'chat.error', why: 'rate limited' },
    ]);
    expect(s.busy).toBe(false);
    expect(s.items[1]).toMatchObject({ status: 'error', error: 'budget exhausted' });
    expect(s.items[2]).toMatchObject({ kind: 'notice', text: 'rate limited' });
  });

  it('a dropped connection interrupts the streaming answer and says so; idle, it changes nothing', () => {
    const s = run([
      { type: 'sent', text: 'hi' },
      { type: 'chat.start', turn: 't1', soul: 'c' },
      { type: 'disconnected' },
    ]);
    expect(s.busy).toBe(false);
    expect(s.items[1]).toMatchObject({ status: 'interrupted' });
    expect(s.items[2]).toMatchObject({ kind: 'notice' });
    expect(reduceChat(s, { type: 'disconnected' })).toBe(s);
  });

  it('gives every item its own id', () => {
    const s = run([
      { type: 'sent', text: 'a' },
      { type: 'chat.done', turn: 't1', text: 'b' },
      { type: 'chat.error', why: 'c' },
    ]);
    expect(new Set(s.items.map((i) => i.id)).size).toBe(3);
  });
});

describe('safeImageUrl', () => {
  it('keeps same-origin paths and http(s), refuses script and data URLs', () => {
    expect(safeImageUrl('/files/x.png', 'https://qf.local')).toBe('https://qf.local/files/x.png');
    expect(safeImageUrl('https://cdn.example/x.png', 'https://qf.local')).toBe('https://cdn.example/x.png');
    expect(safeImageUrl('javascript:alert(1)', 'https://qf.local')).toBeUndefined();
    expect(safeImageUrl('data:image/svg+xml,<svg/>', 'https://qf.local')).toBeUndefined();
  });
});
