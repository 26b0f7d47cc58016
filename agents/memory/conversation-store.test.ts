import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capturingLogger, contextOf, tempDataDir } from '../testing/memory-fixtures.ts';
import {
  type ConversationStoreOptions,
  createConversationStore,
  type HistoryTurn,
} from './conversation-store.ts';
import { TurnShapeError } from './errors.ts';
import type { HistoryMessage } from './messages.ts';

let data: ReturnType<typeof tempDataDir>;
beforeEach(() => {
  data = tempDataDir();
});
afterEach(() => data.remove());

const alice = contextOf('alice');
const bob = contextOf('bob');

/** A plain exchange: the user asks, the assistant answers. */
const chat = (question: string, answer: string) => ({
  messages: [
    { role: 'user', content: question },
    { role: 'assistant', content: [{ type: 'text', text: answer }] },
  ],
});

/** An exchange with a tool call in the middle. */
const toolChat = (n: number) => ({
  messages: [
    { role: 'user', content: `question ${n}` },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: `call_${n}`, name: 'mcp__market-data__get_bars', input: { n } }],
    },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: `call_${n}`, content: `bars ${n}` }] },
    { role: 'assistant', content: [{ type: 'text', text: `answer ${n}` }] },
  ],
});

function store(overrides: Partial<ConversationStoreOptions> = {}) {
  const { logger, lines } = capturingLogger();
  const summarized: { turns: readonly HistoryTurn[]; previous: string | undefined }[] = [];
  const s = createConversationStore({
    dataDir: data.dir,
    logger,
    maxTokens: 1_000_000,
    clock: () => new Date('2025-03-01T12:00:00Z'),
    summarize: async (turns, previous) => {
      summarized.push({ turns, previous });
      return `SUMMARY of ${turns.length} turns`;
    },
    ...overrides,
  });
  return { store: s, lines, summarized };
}

const textOf = (messages: readonly HistoryMessage[]) => JSON.stringify(messages);

/** Every tool_use in `messages` is answered in the very next message, and every answer has its call. */
function expectPairsWhole(messages: readonly HistoryMessage[]) {
  messages.forEach((m, i) => {
    const blocks = typeof m.content === 'string' ? [] : m.content;
    for (const b of blocks) {
      if (b.type === 'tool_use') {
        const next = messages[i + 1];
        expect(next, `tool_use ${b.id} is the last message`).toBeDefined();
        expect(JSON.stringify(next)).toContain(`"tool_use_id":"${b.id}"`);
      }
      if (b.type === 'tool_result') {
        expect(JSON.stringify(messages[i - 1] ?? null)).toContain(`"id":"${b.tool_use_id}"`);
      }
    }
  });
}

describe('conversation store', () => {
  it('keeps each user and workspace apart', async () => {
    const { store: s } = store();
    await s.append(alice, chat('alice asks about BTC', 'alice answer'));
    await s.append(bob, chat('bob asks about ETH', 'bob answer'));
    await s.append(contextOf('alice', 'research'), chat('alice research question', 'research answer'));
    await s.pin(bob, 'bob trades from Lisbon');

    const a = await s.load(alice);
    const b = await s.load(bob);
    expect(textOf(a.messages)).toContain('alice asks about BTC');
    expect(textOf(a.messages)).not.toContain('bob');
    expect(textOf(a.messages)).not.toContain('research');
    expect(a.memory).toBe('');
    expect(textOf(b.messages)).not.toContain('alice');
    expect(b.memory).toContain('bob trades from Lisbon');
    expect(existsSync(join(data.dir, 'agents', 'alice', 'main', 'history.jsonl'))).toBe(true);
    expect(existsSync(join(data.dir, 'agents', 'alice', 'research', 'history.jsonl'))).toBe(true);
  });

  it('refuses ids that are not safe folder names; there is no default conversation', async () => {
    const { store: s } = store();
    await expect(s.load(contextOf('../bob'))).rejects.toThrow(/userId/);
    await expect(s.load(contextOf('alice', 'a/b'))).rejects.toThrow(/workspaceId/);
    await expect(s.load(contextOf(''))).rejects.toThrow(/userId/);
  });

  it('returns messages the Messages API takes, with images kept as references', async () => {
    const { store: s } = store();
    await s.append(alice, {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is on this chart?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'x' },
            { type: 'text', text: 'a doji' },
          ],
        },
      ],
    });
    const { messages } = await s.load(alice);
    const asApi: MessageParam[] = [...messages];
    expect(asApi).toHaveLength(2);
    expect(textOf(messages)).toMatch(
      /\[image image\/png, 0\.0 kB, sha256:[0-9a-f]{12} — not kept in history\]/,
    );
    expect(textOf(messages)).not.toContain('iVBORw0KGgo=');
    expect(textOf(messages)).not.toContain('thinking');
  });

  it('refuses a turn whose tool_use has no tool_result, and writes nothing', async () => {
    const { store: s } = store();
    const broken = toolChat(1).messages.slice(0, 2);
    await expect(s.append(alice, { messages: broken })).rejects.toThrow(TurnShapeError);
    const orphan = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 't', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'b', content: 'x' }] },
      { role: 'assistant', content: 'done' },
    ];
    await expect(s.append(alice, { messages: orphan })).rejects.toThrow(/tool_result for b/);
    expect((await s.load(alice)).messages).toEqual([]);
  });

  it('past the threshold sends a summary and the pinned facts, not the old turns', async () => {
    const { store: s, summarized } = store({ maxTokens: 300, keepTokens: 100 });
    expect(await s.remember(alice, 'Remember that I trade only BTC and ETH.')).toBe(
      'I trade only BTC and ETH.',
    );
    expect(await s.remember(alice, 'remember that crash in May?')).toBeUndefined();
    for (let i = 1; i <= 10; i += 1)
      await s.append(alice, chat(`old question ${i} ${'x'.repeat(80)}`, `answer ${i}`));

    const conversation = await s.load(alice);
    expect(summarized).toHaveLength(1);
    const folded = summarized[0]!.turns;
    expect(folded.length).toBeGreaterThan(0);
    expect(conversation.summary).toBe(`SUMMARY of ${folded.length} turns`);
    expect(conversation.memory).toContain(`SUMMARY of ${folded.length} turns`);
    expect(conversation.memory).toContain('I trade only BTC and ETH.');
    // The folded turns are gone from the messages; the newest one is still there verbatim.
    expect(textOf(conversation.messages)).not.toContain('old question 1 ');
    expect(textOf(conversation.messages)).toContain('old question 10 ');
    expect(conversation.messages.length).toBe((10 - folded.length) * 2);
    expect(conversation.estimatedTokens).toBeLessThanOrEqual(300);

    // The summary is kept: the next load does not summarize again, and later compactions build on it.
    await s.load(alice);
    expect(summarized).toHaveLength(1);
    for (let i = 11; i <= 16; i += 1)
      await s.append(alice, chat(`new question ${i} ${'y'.repeat(80)}`, `answer ${i}`));
    const later = await s.load(alice);
    expect(summarized).toHaveLength(2);
    expect(summarized[1]!.previous).toBe(`SUMMARY of ${folded.length} turns`);
    expect(later.memory).toContain('I trade only BTC and ETH.');
  });

  it('never separates a tool_use from its tool_result when compacting', async () => {
    const { store: s, summarized } = store({ maxTokens: 200, keepTokens: 120 });
    for (let i = 1; i <= 8; i += 1) await s.append(alice, toolChat(i));
    // Each turn is ~100 tokens: any cut inside a turn would leave a tool_use or tool_result alone.
    const { messages } = await s.load(alice);
    expect(summarized).toHaveLength(1);
    expect(messages[0]!.role).toBe('user');
    expect(messages.at(-1)!.role).toBe('assistant');
    expectPairsWhole(messages);
    for (const turn of summarized[0]!.turns) expectPairsWhole(turn.messages);
    const forced = await s.compact(alice);
    expectPairsWhole(forced.messages);
    expect(forced.messages.length).toBeGreaterThan(0);
  });

  it('sends the turns uncompacted, with a warning, when summarizing fails', async () => {
    const { store: s, lines } = store({
      maxTokens: 50,
      summarize: async () => {
        throw new Error('model down');
      },
    });
    for (let i = 1; i <= 4; i += 1) await s.append(alice, chat(`q${i} ${'z'.repeat(100)}`, `a${i}`));
    const conversation = await s.load(alice);
    expect(conversation.messages).toHaveLength(8);
    expect(conversation.summary).toBeUndefined();
    expect(lines.some((l) => String(l.msg).includes('summarizing older turns failed'))).toBe(true);
  });

  it('a torn last line is skipped with a warning; earlier turns load and later appends are whole', async () => {
    const { store: s, lines } = store();
    await s.append(alice, chat('first', 'one'));
    await s.append(alice, chat('second', 'two'));
    const file = join(data.dir, 'agents', 'alice', 'main', 'history.jsonl');
    // A crash in the middle of writing the third turn leaves part of its line.
    const whole = readFileSync(file, 'utf8').split('\n')[1]!;
    appendFileSync(file, whole.slice(0, 40));

    const afterCrash = await s.load(alice);
    expect(afterCrash.messages).toHaveLength(4);
    expect(textOf(afterCrash.messages)).toContain('second');
    expect(lines.filter((l) => l.msg === 'history line skipped')).toHaveLength(1);
    expect(lines[0]).toMatchObject({ file, line: 3 });

    await s.append(alice, chat('third', 'three'));
    const later = await s.load(alice);
    expect(later.messages).toHaveLength(6);
    expect(textOf(later.messages)).toContain('third');
  });

  it('/new starts a fresh conversation, keeps the old file and the pinned facts', async () => {
    const { store: s } = store();
    await s.append(alice, chat('before reset', 'ok'));
    await s.pin(alice, 'alice is in Berlin');
    const archived = await s.reset(alice);
    expect(archived).toBe(join(data.dir, 'agents', 'alice', 'main', 'history-20250301T120000Z.jsonl'));
    expect(readFileSync(archived!, 'utf8')).toContain('before reset');
    const fresh = await s.load(alice);
    expect(fresh.messages).toEqual([]);
    expect(fresh.memory).toContain('alice is in Berlin');
    // A second reset at the same second does not overwrite the first archive.
    await s.append(alice, chat('again', 'ok'));
    await s.reset(alice);
    expect(
      readdirSync(join(data.dir, 'agents', 'alice', 'main')).filter((f) => f.startsWith('history-')),
    ).toHaveLength(2);
    expect(await s.reset(bob)).toBeUndefined();
  });

  it('unpins a fact on request', async () => {
    const { store: s } = store();
    await s.pin(alice, 'fact one');
    await s.pin(alice, 'fact one');
    await s.pin(alice, 'fact two');
    expect(await s.pinned(alice)).toEqual(['fact one', 'fact two']);
    expect(await s.unpin(alice, 'fact one')).toBe(true);
    expect(await s.unpin(alice, 'fact one')).toBe(false);
    expect(await s.pinned(alice)).toEqual(['fact two']);
  });
});
