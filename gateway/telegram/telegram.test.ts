/**
 * The bot end to end against the local Bot API server: real grammY, long polling, the real
 * store (recorded data), a scripted stand-in for the agent runtime (the gateway may not open the
 * real one; test/e2e/telegram-chat.test.ts drives free text through it over a scripted model).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRuntime, ChatInput } from '../../agents/runtime/agent.ts';
import type { TurnResult } from '../../agents/runtime/turn.ts';
import { isoOfUs } from '../../mcp-servers/common/index.ts';
import { apiFixture } from '../api/testing/api-app.ts';
import {
  type AccessStore,
  createAccessStore,
  createTelegramBot,
  type TelegramBot,
  type TelegramBotDeps,
} from './index.ts';
import {
  type BotApiServer,
  emulatorOptions,
  type FakeUser,
  startBotApiServer,
} from './testing/bot-api-server.ts';

const alice: FakeUser = { id: 1001, first_name: 'Alice' };

/** A coordinator that streams `reply` in `pieces` deltas, waiting for a draft between them. */
interface ScriptedAgents extends Pick<AgentRuntime, 'chat' | 'reset'> {
  reply: string;
  pieces: number;
  inputs: ChatInput[];
  /** Awaited between deltas (lets the test wait for the draft of the previous delta). */
  between: (sent: string) => Promise<void>;
}

function scriptedAgents(): ScriptedAgents {
  const agents: ScriptedAgents = {
    reply: '',
    pieces: 1,
    inputs: [],
    between: async () => undefined,
    async chat(input) {
      agents.inputs.push(input);
      const size = Math.ceil(agents.reply.length / agents.pieces);
      let sent = '';
      for (let i = 0; i < agents.reply.length; i += size) {
        const text = agents.reply.slice(i, i + size);
        sent += text;
        input.onEvent?.({ type: 'text', index: 0, text });
        await agents.between(sent);
      }
      return { text: agents.reply, images: [], messages: [], calls: [] } satisfies TurnResult;
    },
    async reset() {},
  };
  return agents;
}

/** Failures of the bot, shown in the test output. */
const consoleLogger = {
  info: () => undefined,
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
} as unknown as TelegramBotDeps['logger'];

let server: BotApiServer;
let telegram: TelegramBot;
let fixture: Awaited<ReturnType<typeof apiFixture>>;
let dataDir: string;
let clock = Date.UTC(2026, 0, 1);
const agents = scriptedAgents();

beforeAll(async () => {
  fixture = await apiFixture();
  server = await startBotApiServer();
  dataDir = mkdtempSync(join(tmpdir(), 'qf-telegram-'));
  const access = createAccessStore({
    dataDir,
    allowlist: [{ telegramId: alice.id, userId: 'alice', licence: 'pro' }],
    now: () => clock,
  });
  telegram = await startBot(access, ['15m', '1h', '4h', '1d']);
}, 120_000);

afterAll(async () => {
  await telegram?.stop();
  await server?.close();
  fixture?.cleanup();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the bot over `access` against the emulator, with `chartPeriods` on its /chart keyboard. */
async function startBot(access: AccessStore, chartPeriods: readonly string[]): Promise<TelegramBot> {
  const bot = createTelegramBot(
    { market: fixture.reader, access, agents, logger: consoleLogger },
    emulatorOptions(server, chartPeriods),
  );
  await bot.start();
  return bot;
}

/** Sends `text` as `from` and waits for the bot's first sendMessage after it to that chat. */
async function ask(from: FakeUser, text: string): Promise<string> {
  const before = server.calls.length;
  server.sendText(from, text);
  const call = await server.waitForCall(
    (c) =>
      server.calls.indexOf(c) >= before &&
      c.method === 'sendMessage' &&
      c.rejected === undefined &&
      c.params.chat_id === from.id,
    `a reply to "${text}"`,
  );
  return String(call.params.text);
}

interface Button {
  text: string;
  callback_data: string;
}

/** The inline keyboard of a sent photo (from its call or its stored message). */
function keyboardOf(source: { params: Record<string, unknown> } | { reply_markup?: unknown }): Button[][] {
  const markup = 'params' in source ? source.params.reply_markup : source.reply_markup;
  return (markup as { inline_keyboard: Button[][] }).inline_keyboard;
}

/** Presses `button` on alice's message `messageId`; resolves with the photo edit it causes. */
async function press(messageId: number, button: Button) {
  const before = server.calls.length;
  server.pressButton(alice, alice.id, messageId, button.callback_data);
  return server.waitForCall(
    (c) => server.calls.indexOf(c) >= before && c.method === 'editMessageMedia' && c.rejected === undefined,
    `the photo edit of "${button.text}"`,
  );
}

/** The chart photo the period test sent (the later button tests edit it). */
let chartMessage = 0;

describe('commands answered without the model', () => {
  it('publishes the command menu', () => {
    const commands = server.callsOf('setMyCommands')[0]?.params.commands as { command: string }[];
    expect(commands.map((c) => c.command)).toEqual([
      'start',
      'help',
      'price',
      'chart',
      'alerts',
      'workspace',
      'new',
      'stop',
    ]);
  });

  it('/price BTCUSDT answers with the stored price and its as-of time', async () => {
    const latest = await fixture.reader.latestBar({ venue: 'BINANCE', symbol: 'BTCUSDT', period: '1m' });
    expect(latest).not.toBeNull();
    const text = await ask(alice, '/price BTCUSDT');
    expect(text).toBe(
      `BINANCE:BTCUSDT ${latest!.close} — as of ${isoOfUs(latest!.openTimeUs + 60_000_000)} (store)`,
    );
    expect(agents.inputs).toHaveLength(0);
  });

  it('/price of an unknown symbol says which exist', async () => {
    const text = await ask(alice, '/price NOPEUSDT');
    expect(text).toContain('BTCUSDT');
  });

  it('/chart BTCUSDT 1h sends a photo; the 4h button edits it in place', async () => {
    const before = server.calls.length;
    server.sendText(alice, '/chart BTCUSDT 1h');
    const sent = await server.waitForCall(
      (c) => server.calls.indexOf(c) >= before && c.method === 'sendPhoto',
      'the chart photo',
    );
    const png = Object.values(sent.files)[0];
    expect([...(png ?? []).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(String(sent.params.caption)).toContain('BINANCE:BTCUSDT 1h');
    const keyboard = keyboardOf(sent);
    const buttons = keyboard[0]!;
    expect(buttons.map((b) => b.text)).toEqual(['15m', '• 1h', '4h', '1d']);
    for (const b of keyboard.flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    const photo = server.callsOf('sendPhoto').length;
    const sentMessage = [...Array(50).keys()]
      .map((i) => server.message(alice.id, i + 1))
      .find((m) => m?.photo !== undefined);
    expect(sentMessage).toBeDefined();

    const fourHour = buttons.find((b) => b.text === '4h')!;
    server.pressButton(alice, alice.id, sentMessage!.message_id, fourHour.callback_data);
    const edit = await server.waitForCall((c) => c.method === 'editMessageMedia', 'the photo edit');
    expect(edit.params.message_id).toBe(sentMessage!.message_id);
    expect(Object.values(edit.files)[0]?.slice(0, 4)).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(server.message(alice.id, sentMessage!.message_id)?.caption).toContain('BINANCE:BTCUSDT 4h');
    await server.waitForCall((c) => c.method === 'answerCallbackQuery', 'the callback answer');
    // The photo was edited, not sent again.
    expect(server.callsOf('sendPhoto')).toHaveLength(photo);
    chartMessage = sentMessage!.message_id;
  }, 60_000);

  it('a study button toggles SMA(20) on the photo, edited in place', async () => {
    const photos = server.callsOf('sendPhoto').length;
    expect(server.message(alice.id, chartMessage)?.caption).toMatch(/^BINANCE:BTCUSDT 4h: /);
    const before = keyboardOf(server.message(alice.id, chartMessage)!);
    const previous = server.callsOf('editMessageMedia').at(-1)!;
    const on = await press(chartMessage, before[2]!.find((b) => b.text === 'SMA20')!);
    const caption = server.message(alice.id, chartMessage)?.caption ?? '';
    expect(caption).toMatch(/^BINANCE:BTCUSDT 4h with SMA\(20\): /);
    // A different picture: the moving average is drawn.
    expect(
      Buffer.compare(
        Buffer.from(Object.values(on.files)[0]!),
        Buffer.from(Object.values(previous.files)[0]!),
      ),
    ).not.toBe(0);
    const after = keyboardOf(server.message(alice.id, chartMessage)!);
    expect(after[2]!.map((b) => b.text)).toEqual(['✓ SMA20', 'RSI14']);
    // Every other button keeps the study.
    for (const b of [...after[0]!, ...after[1]!]) expect(b.callback_data.endsWith('|s')).toBe(true);
    await press(chartMessage, after[2]!.find((b) => b.text === '✓ SMA20')!);
    expect(server.message(alice.id, chartMessage)?.caption).toMatch(/^BINANCE:BTCUSDT 4h: /);
    expect(server.callsOf('sendPhoto')).toHaveLength(photos);
  }, 60_000);
  it('the symbol row switches the chart to another stored symbol, keeping the period', async () => {
    const photos = server.callsOf('sendPhoto').length;
    const keyboard = keyboardOf(server.message(alice.id, chartMessage)!);
    // Periods, then other symbols (the recorded store also holds XRPETH), then the studies.
    expect(keyboard.map((row) => row.map((b) => b.text))).toEqual([
      ['15m', '1h', '• 4h', '1d'],
      ['XRPETH'],
      ['SMA20', 'RSI14'],
    ]);
    const edit = await press(chartMessage, keyboard[1]![0]!);
    expect(edit.params.message_id).toBe(chartMessage);
    expect(server.message(alice.id, chartMessage)?.caption).toMatch(/^BINANCE:XRPETH 4h: /);
    // The user's recent symbol is offered back.
    expect(keyboardOf(server.message(alice.id, chartMessage)!)[1]!.map((b) => b.text)).toEqual(['BTCUSDT']);
    expect(server.callsOf('sendPhoto')).toHaveLength(photos);
  }, 60_000);
});

describe('free text to the coordinator', () => {
  it('streams drafts in a private chat, then sends one final message', async () => {
    agents.reply = 'BTC is up 2% today. Volume is above its average. Support sits near 60k.';
    agents.pieces = 3;
    const drafts = server.callsOf('sendMessageDraft').length;
    // Between deltas, wait until the draft of the text so far arrived: a real stream, paced by the bot.
    agents.between = async (sent) => {
      await server.waitForCall(
        (c) => c.method === 'sendMessageDraft' && c.params.text === sent,
        `draft "${sent}"`,
      );
    };
    const text = await ask(alice, 'how is BTC doing?');
    agents.between = async () => undefined;
    expect(text).toBe(agents.reply);
    const mine = server.callsOf('sendMessageDraft').slice(drafts);
    expect(mine.length).toBe(3);
    for (const d of mine) expect(agents.reply.startsWith(String(d.params.text))).toBe(true);
    expect(agents.inputs.at(-1)?.context).toEqual({
      userId: 'alice',
      workspaceId: 'main',
      channel: 'telegram',
      licence: 'pro',
    });
  });

  it('a 6,000-character reply arrives as two messages with nothing lost or repeated', async () => {
    const paragraph = (i: number) =>
      `Paragraph ${i}: ${'the trend holds while the range narrows. '.repeat(9)}`;
    agents.reply = Array.from({ length: 16 }, (_, i) => paragraph(i))
      .join('\n\n')
      .slice(0, 6000);
    expect(agents.reply.length).toBe(6000);
    agents.pieces = 1;
    const before = server.callsOf('sendMessage').length;
    server.sendText(alice, 'write a long report');
    await server.waitForCall(() => server.callsOf('sendMessage').length >= before + 2, 'two messages');
    const sent = server
      .callsOf('sendMessage')
      .slice(before)
      .map((c) => String(c.params.text));
    expect(sent).toHaveLength(2);
    expect(sent.join('')).toBe(agents.reply);
    expect(sent[0]!.endsWith('\n\n')).toBe(true);
  });

  it('honours a 429 retry_after and sends the message once', async () => {
    agents.reply = 'Short answer.';
    server.rateLimitNext('sendMessage', 1);
    const before = server.calls.length;
    const text = await ask(alice, 'quick?');
    expect(text).toBe('Short answer.');
    const attempts = server.calls.slice(before).filter((c) => c.method === 'sendMessage');
    expect(attempts.map((c) => c.rejected ?? 'ok')).toEqual([429, 'ok']);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
  });
});

describe('access', () => {
  const bob: FakeUser = { id: 2002, first_name: 'Bob' };
  const carol: FakeUser = { id: 3003, first_name: 'Carol' };

  it('refuses an unknown user, admits one with a valid code, not with an expired one', async () => {
    const calls = agents.inputs.length;
    expect(await ask(bob, '/price BTCUSDT')).toContain('private');
    const access = createAccessStore({ dataDir, now: () => clock });
    const stale = access.issuePairingCode({ userId: 'carol', licence: 'free', ttlMinutes: 10 });
    clock += 11 * 60_000;
    // The bot's store reads the file it shares with the issuer only at open; reopen through a restart.
    await telegram.stop();
    telegram = await startBot(createAccessStore({ dataDir, now: () => clock }), ['1h', '4h']);
    expect(await ask(carol, `/start ${stale.code}`)).toContain('expired');
    expect(await ask(carol, 'hello')).toContain('private');
    const fresh = createAccessStore({ dataDir, now: () => clock }).issuePairingCode({
      userId: 'bob',
      licence: 'free',
      ttlMinutes: 10,
    });
    await telegram.stop();
    telegram = await startBot(createAccessStore({ dataDir, now: () => clock }), ['1h', '4h']);
    expect(await ask(bob, `/start ${fresh.code.toLowerCase()}`)).toContain('Paired: you are bob (free)');
    expect(await ask(bob, '/price BTCUSDT')).toContain('BINANCE:BTCUSDT');
    expect(agents.inputs.length).toBe(calls);
  });
});
