/**
 * Telegram chat end to end: the bot as the application starts it (`startTelegram`), the real
 * agent runtime (`openAgentRuntime`, real Anthropic SDK) over the scripted Messages API server,
 * the real MCP services over the recorded store, and the local Bot API server. Free text of a
 * paired user reaches the coordinator with that user's context; the reply streams as drafts and
 * ends as one message (two for 6,000 characters, nothing lost or repeated); `/stop` and a new
 * message cancel a running turn; in a group only a mention is answered, as edits of one message.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRuntime, ChatInput } from '../../agents/runtime/agent.ts';
import type { MessagesServer, RecordedRequest } from '../../agents/testing/messages-server.ts';
import { startMessagesServer } from '../../agents/testing/messages-server.ts';
import { openAgentRuntime } from '../../app/agents.ts';
import { configSchema, secretsSchema } from '../../app/config/index.ts';
import { type RunningTelegram, startTelegram } from '../../app/telegram.ts';
import { createLogger } from '../../core/logger.ts';
import {
  type BotApiServer,
  type FakeChat,
  type FakeUser,
  type RecordedCall,
  startBotApiServer,
} from '../../gateway/telegram/testing/bot-api-server.ts';
import type { McpServices } from '../../mcp-servers/services.ts';
import { openTestServices } from '../../mcp-servers/testing/services.ts';
import { until } from '../support/index.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const logger = createLogger({ name: 'telegram-chat-e2e', level: 'silent' });
const alice: FakeUser = { id: 5151, first_name: 'Alice' };
const group: FakeChat = { id: -100_777, type: 'supergroup', title: 'desk' };
/** Group pacing: the queue holds each call to the group this long after the previous one. */
const GROUP_INTERVAL_MS = 150;

let messages: MessagesServer;
let telegram: BotApiServer;
let services: McpServices;
let cleanupServices: () => void;
let bot: RunningTelegram;
/** Every turn the bot started, in order. */
const inputs: ChatInput[] = [];

beforeAll(async () => {
  messages = await startMessagesServer();
  telegram = await startBotApiServer();
  ({ services, cleanup: cleanupServices } = await openTestServices());
  const config = configSchema.parse({
    agents: { anthropic: { baseUrl: messages.url } },
    telegram: {
      apiRoot: telegram.apiRoot,
      privateIntervalMs: 0,
      groupIntervalMs: GROUP_INTERVAL_MS,
      allowlist: [{ telegramId: alice.id, userId: 'alice', licence: 'pro' }],
    },
  });
  const secrets = secretsSchema.parse({ anthropic: { apiKey: 'sk-test-key' } });
  const agents = await openAgentRuntime({ logger, services }, config, secrets, {
    root: ROOT,
    sleep: async () => {},
  });
  // The real runtime, with each input noted as the bot hands it over (before any model call).
  const noted: AgentRuntime = {
    chat(input) {
      inputs.push(input);
      return agents.chat(input);
    },
    reset: (context) => agents.reset(context),
  };
  bot = await startTelegram({ logger, services, agents: noted }, config, telegram.token);
}, 120_000);

afterAll(async () => {
  await bot?.stop();
  await telegram?.close();
  await messages?.close();
  cleanupServices?.();
});

/** The user's text of a request: the last user message's text blocks. */
function userText(request: RecordedRequest): string {
  const last = request.body.messages.filter((m) => m.role === 'user').at(-1);
  const content = last?.content;
  if (typeof content === 'string') return content;
  return (content as { type: string; text?: string }[])
    .filter((b) => b.type === 'text')
    .map((b) => b.text ?? '')
    .join('');
}

const systemText = (r: RecordedRequest): string =>
  (r.body.system as { text: string }[]).map((b) => b.text).join('\n');

/** Successful bot calls to `chatId` after index `from` of the call log, of the given methods. */
function callsTo(chatId: number, from: number, ...methods: string[]): RecordedCall[] {
  return telegram.calls
    .slice(from)
    .filter((c) => c.rejected === undefined && c.params.chat_id === chatId && methods.includes(c.method));
}

/** Waits for the first successful sendMessage to `chatId` after call index `from`. */
function nextMessage(chatId: number, from: number, what: string): Promise<RecordedCall> {
  return telegram.waitForCall(
    (c) =>
      telegram.calls.indexOf(c) >= from &&
      c.method === 'sendMessage' &&
      c.rejected === undefined &&
      c.params.chat_id === chatId,
    what,
  );
}

describe('free text to the real coordinator', () => {
  it('reaches the coordinator with the member context; drafts stream, then one final message', async () => {
    const answer = 'BTC is up 2% today. Volume is above its average. Support sits near 60k.';
    messages.enqueue({
      text: ['BTC is up 2% today. ', 'Volume is above its average. ', 'Support sits near 60k.'],
    });
    const requests = messages.requests.length;
    const from = telegram.calls.length;
    telegram.sendText(alice, 'how is BTC doing?');
    const final = await nextMessage(alice.id, from, 'the final answer');
    expect(final.params.text).toBe(answer);

    const sent = messages.requests.slice(requests);
    expect(sent).toHaveLength(1);
    expect(userText(sent[0]!)).toContain('how is BTC doing?');
    expect(systemText(sent[0]!)).toContain('user_id: alice');
    expect(inputs.at(-1)?.context).toEqual({
      userId: 'alice',
      workspaceId: 'main',
      channel: 'telegram',
      licence: 'pro',
    });

    // Drafts first (each a prefix of the answer, growing), then exactly one message.
    const calls = callsTo(alice.id, from, 'sendMessageDraft', 'sendMessage');
    const drafts = calls.slice(0, -1);
    expect(drafts.length).toBeGreaterThanOrEqual(1);
    for (const d of drafts) {
      expect(d.method).toBe('sendMessageDraft');
      expect(answer.startsWith(String(d.params.text))).toBe(true);
    }
    expect(calls.at(-1)?.method).toBe('sendMessage');
    expect(callsTo(alice.id, from, 'sendMessage')).toHaveLength(1);
  });

  it('a 6,000-character answer arrives as two messages that join to it exactly', async () => {
    const paragraph = (i: number) =>
      `Paragraph ${i}: ${'the trend holds while the range narrows. '.repeat(9)}`;
    const answer = Array.from({ length: 16 }, (_, i) => paragraph(i))
      .join('\n\n')
      .slice(0, 6000);
    expect(answer.length).toBe(6000);
    messages.enqueue({ text: [answer.slice(0, 2500), answer.slice(2500, 5000), answer.slice(5000)] });
    const from = telegram.calls.length;
    telegram.sendText(alice, 'write a long report');
    await telegram.waitForCall(
      () => callsTo(alice.id, from, 'sendMessage').length >= 2,
      'the two messages of the long answer',
    );
    // Let anything else the turn might send arrive before counting: a short turn after it.
    messages.enqueue({ text: 'ok' });
    const mark = telegram.calls.length;
    telegram.sendText(alice, 'thanks');
    await nextMessage(alice.id, mark, 'the answer after the long one');
    const texts = callsTo(alice.id, from, 'sendMessage')
      .filter((c) => telegram.calls.indexOf(c) < mark)
      .map((c) => String(c.params.text));
    expect(texts).toHaveLength(2);
    expect(texts.join('')).toBe(answer);
  });
});

describe('cancelling a running turn', () => {
  /** A turn that streams `first` and then holds the response open until the client leaves. */
  const heldTurn = (first: string) => ({
    // message_start, ping, content_block_start, the first delta; then nothing more.
    content: [{ type: 'text' as const, text: [first, ' and this part never arrives.'] }],
    holdAfterEvents: 4,
  });

  it('/stop cancels it: no final message of that turn, a short "stopped" reply', async () => {
    messages.enqueue(heldTurn('Looking at the order book'));
    const requests = messages.requests.length;
    const from = telegram.calls.length;
    telegram.sendText(alice, 'analyse the order book');
    await telegram.waitForCall(
      (c) =>
        telegram.calls.indexOf(c) >= from &&
        c.method === 'sendMessageDraft' &&
        c.params.text === 'Looking at the order book',
      'the draft of the running turn',
    );
    telegram.sendText(alice, '/stop');
    const stopped = await nextMessage(alice.id, from, 'the reply to /stop');
    expect(stopped.params.text).toBe('Stopped.');
    // The model's stream was abandoned.
    await until(() => messages.requests[requests]?.aborted === true, 'the held request aborted');

    // A later turn answers normally; between the two, only "Stopped." was sent.
    messages.enqueue({ text: 'Here now.' });
    const mark = telegram.calls.length;
    telegram.sendText(alice, 'still there?');
    await nextMessage(alice.id, mark, 'the next answer');
    expect(callsTo(alice.id, from, 'sendMessage').map((c) => c.params.text)).toEqual([
      'Stopped.',
      'Here now.',
    ]);
  });

  it('a new message cancels the running turn and answers the new one', async () => {
    messages.enqueue(heldTurn('Counting the trades'));
    const requests = messages.requests.length;
    const from = telegram.calls.length;
    telegram.sendText(alice, 'count every trade');
    await telegram.waitForCall(
      (c) =>
        telegram.calls.indexOf(c) >= from &&
        c.method === 'sendMessageDraft' &&
        c.params.text === 'Counting the trades',
      'the draft of the running turn',
    );
    messages.enqueue({ text: 'ETH is flat today.' });
    telegram.sendText(alice, 'never mind: how is ETH?');
    const answer = await nextMessage(alice.id, from, 'the answer to the new message');
    expect(answer.params.text).toBe('ETH is flat today.');
    await until(() => messages.requests[requests]?.aborted === true, 'the first request aborted');
    expect(userText(messages.requests.at(-1)!)).toContain('never mind: how is ETH?');

    messages.enqueue({ text: 'Yes.' });
    const mark = telegram.calls.length;
    telegram.sendText(alice, 'done?');
    await nextMessage(alice.id, mark, 'the next answer');
    expect(callsTo(alice.id, from, 'sendMessage').map((c) => c.params.text)).toEqual([
      'ETH is flat today.',
      'Yes.',
    ]);
  });
});

describe('in a group', () => {
  it('ignores a message without a mention; answers a mention with paced edits of one message', async () => {
    const deltas = ['BTC ', 'is up ', '2% ', 'today ', 'on rising volume.'];
    const answer = deltas.join('');
    const requests = messages.requests.length;
    const turns = inputs.length;
    const from = telegram.calls.length;
    telegram.sendText(alice, 'what about BTC, everyone?', group);
    // Updates are handled in order and a turn starts inside its handler: once /help is answered,
    // the message before it was handled, and it started no turn.
    telegram.sendText(alice, '/help', group);
    await nextMessage(group.id, from, 'the help in the group');
    expect(inputs.length).toBe(turns);
    messages.enqueue({ text: deltas });
    telegram.sendText(alice, `@${telegram.bot.username} how is BTC?`, group);
    await telegram.waitForCall(
      (c) =>
        telegram.calls.indexOf(c) >= from &&
        c.method === 'editMessageText' &&
        c.params.chat_id === group.id &&
        c.params.text === answer,
      'the full answer in the group',
    );
    // One model request, for the mention only.
    const sent = messages.requests.slice(requests);
    expect(sent).toHaveLength(1);
    expect(userText(sent[0]!)).toContain('how is BTC?');
    expect(userText(sent[0]!)).not.toContain('everyone');

    // A later mention orders the log: everything of the first answer was sent before it.
    messages.enqueue({ text: 'Yes.' });
    const mark = telegram.calls.length;
    telegram.sendText(alice, `@${telegram.bot.username} ok?`, group);
    await nextMessage(group.id, mark, 'the next group answer');

    const calls = callsTo(group.id, from, 'sendMessage', 'editMessageText', 'sendMessageDraft')
      .slice(1) // the help
      .filter((c) => telegram.calls.indexOf(c) < mark);
    // One message, then edits of it; no drafts in a group.
    expect(calls[0]?.method).toBe('sendMessage');
    const edits = calls.slice(1);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    const messageId = telegram.message(group.id, Number(edits[0]!.params.message_id))?.message_id;
    expect(messageId).toBeDefined();
    for (const e of edits) {
      expect(e.method).toBe('editMessageText');
      expect(e.params.message_id).toBe(messageId);
    }
    // Latest-wins pacing: fewer calls than deltas, each text a longer prefix, ending in the answer.
    const texts = calls.map((c) => String(c.params.text));
    expect(texts.length).toBeLessThanOrEqual(deltas.length);
    for (let i = 0; i < texts.length; i += 1) {
      expect(answer.startsWith(texts[i]!)).toBe(true);
      if (i > 0) expect(texts[i]!.length).toBeGreaterThan(texts[i - 1]!.length);
    }
    expect(texts.at(-1)).toBe(answer);
    expect(telegram.message(group.id, messageId!)?.text).toBe(answer);
  });
});
