/**
 * Alerts on Telegram against the local Bot API server: `/alerts add|list` and the delete button
 * over the real rule store and licence limit; the AlertSink (every paired chat once, a failed
 * chat retried without repeating the others, nothing again after a restart, a blocked chat
 * skipped); a turn's chart images sent as photos after the text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRuntime } from '../../agents/runtime/agent.ts';
import type { TurnResult } from '../../agents/runtime/turn.ts';
import { createWorkspaceStore } from '../../mcp-servers/workspace/workspace-store.ts';
import { createAlertRuleStore, type DeliveredAlert } from '../../pipeline/alerts/index.ts';
import { apiFixture } from '../api/testing/api-app.ts';
import { deleteCallbackData } from './features/alerts.ts';
import {
  type AccessStore,
  createAccessStore,
  createTelegramBot,
  type TelegramBot,
  telegramAlertSink,
} from './index.ts';
import {
  type BotApiServer,
  emulatorOptions,
  type FakeUser,
  startBotApiServer,
} from './testing/bot-api-server.ts';

const alice: FakeUser = { id: 2001, first_name: 'Alice' };
const alicePhone: FakeUser = { id: 2002, first_name: 'Alice (work)' };
const bob: FakeUser = { id: 2003, first_name: 'Bob' };
const IMAGE = {
  type: 'image' as const,
  source: {
    type: 'base64' as const,
    media_type: 'image/png' as const,
    data: Buffer.from('png-bytes').toString('base64'),
  },
};

let server: BotApiServer;
let telegram: TelegramBot;
let fixture: Awaited<ReturnType<typeof apiFixture>>;
let dataDir: string;
let access: AccessStore;
const rules = () => createAlertRuleStore({ dataDir });

const agents: Pick<AgentRuntime, 'chat' | 'reset'> = {
  async chat(input) {
    input.onEvent?.({ type: 'tool_call', name: 'mcp__charting__render_chart', id: 't1' });
    input.onEvent?.({
      type: 'tool_result',
      name: 'mcp__charting__render_chart',
      id: 't1',
      isError: false,
      images: [IMAGE],
    });
    input.onEvent?.({ type: 'text', index: 0, text: 'Here is the chart.' });
    return { text: 'Here is the chart.', images: [IMAGE], messages: [], calls: [] } satisfies TurnResult;
  },
  async reset() {},
};

beforeAll(async () => {
  fixture = await apiFixture();
  server = await startBotApiServer();
  dataDir = mkdtempSync(join(tmpdir(), 'qf-telegram-alerts-'));
  access = createAccessStore({
    dataDir,
    allowlist: [
      { telegramId: alice.id, userId: 'alice', licence: 'pro' },
      { telegramId: alicePhone.id, userId: 'alice', licence: 'pro' },
    ],
  });
  telegram = createTelegramBot(
    {
      market: fixture.reader,
      access,
      agents,
      alerts: {
        rules: rules(),
        workspaces: createWorkspaceStore({ dataDir }),
        limitOf: (l) => (l === 'pro' ? 2 : 0),
      },
    },
    emulatorOptions(server, ['1h']),
  );
  await telegram.start();
}, 120_000);

afterAll(async () => {
  await telegram?.stop();
  await server?.close();
  fixture?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The bot's next message to `chatId` whose text matches. */
const replyTo = (chatId: number, match: RegExp, what: string) =>
  server.waitForCall(
    (c) => c.method === 'sendMessage' && c.params.chat_id === chatId && match.test(String(c.params.text)),
    what,
  );

describe('/alerts', () => {
  it('adds a price level through the rule store, lists it with a delete button, deletes it', async () => {
    server.sendText(alice, '/alerts add BTCUSDT above 65000');
    await replyTo(
      alice.id,
      /^Alert set on BINANCE:BTCUSDT: price crosses 65000 \(up\), once\. 1\/2/,
      'the add answer',
    );
    const [rule] = rules().list('alice');
    expect(rule).toMatchObject({
      kind: 'price_level',
      venue: 'BINANCE',
      symbol: 'BTCUSDT',
      level: 65000,
      direction: 'up',
      workspaceId: 'main',
    });

    server.sendText(alice, '/alerts add BTCUSDT below 50000');
    await replyTo(alice.id, /price crosses 50000 \(down\).*2\/2/, 'the second add');
    server.sendText(alice, '/alerts add BTCUSDT below 40000');
    await replyTo(alice.id, /alert limit reached: 2 rules/, 'the limit');
    expect(rules().list('alice')).toHaveLength(2);

    server.sendText(alice, '/alerts');
    const list = await replyTo(alice.id, /^Your alerts \(2\/2\)/, 'the list');
    const data = deleteCallbackData(rule!.id);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(JSON.stringify(list.params.reply_markup)).toContain(data);

    server.pressButton(alice, alice.id, findMessageId(String(list.params.text)), data);
    await server.waitForCall(
      (c) => c.method === 'editMessageText' && /^Your alerts \(1\/2\)/.test(String(c.params.text)),
      'the list edited',
    );
    expect(
      rules()
        .list('alice')
        .map((r) => r.id),
    ).not.toContain(rule!.id);
  });

  it('a user without alerts in their licence is told so', async () => {
    access.redeem(bob.id, access.issuePairingCode({ userId: 'bob', licence: 'free', ttlMinutes: 5 }).code);
    server.sendText(bob, '/alerts add BTCUSDT above 65000');
    await replyTo(bob.id, /includes no alerts/, 'the refusal');
    expect(rules().list('bob')).toEqual([]);
  });
});

/** The id of the bot's message in alice's chat with `text` (the emulator keeps them). */
function findMessageId(text: string): number {
  for (let id = 1; id < 1000; id++) if (server.message(alice.id, id)?.text === text) return id;
  throw new Error('message not found');
}

describe('the Telegram AlertSink', () => {
  const alert: DeliveredAlert = {
    alertId: 'a-1',
    ruleId: 'r-1',
    userId: 'alice',
    workspaceId: 'main',
    venue: 'BINANCE',
    symbol: 'BTCUSDT',
    kind: 'price_level',
    message: 'BINANCE:BTCUSDT price crossed 65000 (up)',
    value: 65000.5,
    threshold: 65000,
    triggeredAtUs: Date.UTC(2024, 7, 9, 0, 3) * 1000,
  };
  const sentTo = (chatId: number, id = alert.ruleId) =>
    server
      .callsOf('sendMessage')
      .filter((c) => c.params.chat_id === chatId && String(c.params.text).includes(id));

  it('sends each paired chat the alert once: a failed chat is retried without repeating the others, a restart sends nothing', async () => {
    const sink = telegramAlertSink({ api: telegram.bot.api, access, dataDir });
    server.failNext('sendMessage', alicePhone.id, 500, 'Internal Server Error');
    await expect(sink.deliver(alert)).rejects.toThrow(/Internal Server Error/);
    expect(sentTo(alice.id)).toHaveLength(1);
    expect(sentTo(alicePhone.id)).toHaveLength(0);

    await sink.deliver(alert);
    expect(sentTo(alice.id)).toHaveLength(1);
    expect(sentTo(alicePhone.id)).toHaveLength(1);
    expect(String(sentTo(alice.id)[0]!.params.text)).toBe(
      '🔔 Alert: BINANCE:BTCUSDT price crossed 65000 (up)\nTriggered at 65000.5 (threshold 65000) at 2024-08-09T00:03:00Z\nSource: BINANCE:BTCUSDT market stream (price_level rule r-1), as of 2024-08-09T00:03:00Z',
    );

    // A new process (the records are on disk) given the same alert again: nothing is sent.
    await telegramAlertSink({ api: telegram.bot.api, access, dataDir }).deliver(alert);
    expect(sentTo(alice.id)).toHaveLength(1);
    expect(sentTo(alicePhone.id)).toHaveLength(1);
  });

  it('skips a user without Telegram and a chat that blocked the bot', async () => {
    const sink = telegramAlertSink({ api: telegram.bot.api, access, dataDir });
    const before = server.calls.length;
    await sink.deliver({ ...alert, alertId: 'a-2', userId: 'carol' });
    expect(server.calls.length).toBe(before);

    server.failNext('sendMessage', alice.id, 403, 'Forbidden: bot was blocked by the user');
    await sink.deliver({ ...alert, alertId: 'a-3', ruleId: 'r-3' });
    expect(sentTo(alicePhone.id, 'r-3')).toHaveLength(1);
    expect(
      server.callsOf('sendMessage', true).filter((c) => c.params.chat_id === alice.id && c.rejected === 403),
    ).toHaveLength(1);
  });
});

describe('images of a turn', () => {
  it('are sent as photos after the text, once each', async () => {
    server.sendText(alice, 'chart BTC please');
    const text = await replyTo(alice.id, /^Here is the chart\.$/, 'the answer');
    const photo = await server.waitForCall(
      (c) => c.method === 'sendPhoto' && c.params.chat_id === alice.id,
      'the photo',
    );
    expect(photo.at).toBeGreaterThanOrEqual(text.at);
    expect(server.calls.indexOf(photo)).toBeGreaterThan(server.calls.indexOf(text));
    const file = Object.values(photo.files)[0];
    expect(Buffer.from(file!).toString()).toBe('png-bytes');
    await telegram.stop();
    expect(server.callsOf('sendPhoto').filter((c) => c.params.chat_id === alice.id)).toHaveLength(1);
  });
});
