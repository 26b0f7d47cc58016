/**
 * Alerts end to end on one real platform in this process (`startPlatform`: the recorded BTCUSDT
 * session replayed through the pipeline, the alerts stage, the gateway, the Telegram bot against
 * the local Bot API server, the deliverer over both channels):
 *
 * the owner pairs Telegram with the banner's code and opens a WebSocket on /ws (owner bearer
 * token); a price level is set through MCP (`/mcp/market-data` create_alert) that the replay
 * crosses late in the recording; the alert reaches Telegram once and the web client once. The
 * platform stops and starts again on the same data dir: nothing is delivered again.
 *
 * create_alert dates the rule at the series' market time (the newest stored trade), not the wall
 * clock, so a rule set during a replay of 2024 data fires on the replay's next crossing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Config, configSchema, secretsSchema } from '../../app/config/index.ts';
import { OWNER_USER_ID } from '../../app/credentials.ts';
import { type Platform, startPlatform } from '../../app/platform.ts';
import { createLogger } from '../../core/logger.ts';
import {
  type BotApiServer,
  type FakeUser,
  startBotApiServer,
} from '../../gateway/telegram/testing/bot-api-server.ts';
import { recordedData, until } from '../support/index.ts';
import { loadBtcusdtTrades } from '../support/recorded-trades.ts';

/** The recorded 11 minutes in about 16 s. */
const REPLAY_SPEED = 40;
const logger = createLogger({ name: 'alerts-e2e', level: 'silent' });
const owner: FakeUser = { id: 4242, first_name: 'Owner' };

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A level the recorded prices first cross in the second half of the session. */
function lateLevel(): { level: number; direction: 'up' | 'down' } {
  const prices = loadBtcusdtTrades().map((t) => Number(t.price));
  const head = prices.slice(0, Math.floor(prices.length / 2));
  const tail = prices.slice(head.length);
  return Math.max(...tail) > Math.max(...head)
    ? { level: Math.max(...head) + 0.01, direction: 'up' }
    : { level: Math.min(...head) - 0.01, direction: 'down' };
}

function gatewayOf(p: Platform): NonNullable<Platform['gateway']> {
  if (p.gateway === undefined) throw new Error('the platform started without its gateway');
  return p.gateway;
}

/** The `alert` messages an open /ws connection of the owner receives. */
async function openPage(p: Platform): Promise<{ alerts: string[]; close(): void }> {
  const gateway = gatewayOf(p);
  const ws = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/ws`, {
    headers: { authorization: `Bearer ${gateway.mcpToken}` },
  });
  const alerts: string[] = [];
  let hello = false;
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { type: string; alert?: { alertId: string } };
    if (m.type === 'hello') hello = true;
    if (m.type === 'alert' && m.alert) alerts.push(m.alert.alertId);
  });
  await until(() => hello, 'the hello on /ws');
  return { alerts, close: () => ws.terminate() };
}

describe('an alert on a running platform', () => {
  it('reaches Telegram and the web page once, and nothing again after a restart', {
    timeout: 90_000,
  }, async () => {
    const telegram: BotApiServer = await startBotApiServer();
    cleanups.push(() => telegram.close());
    const dataDir = mkdtempSync(path.join(tmpdir(), 'qf-alerts-e2e-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const config: Config = configSchema.parse({
      store: { dataDir },
      venues: { source: 'replay', replay: { sharedDataDir: recordedData(), speed: REPLAY_SPEED } },
      realtime: { zmq: { pubEndpoint: 'tcp://127.0.0.1:*' } },
      gateway: { port: 0 },
      mcp: { http: { enabled: false } },
      telegram: { apiRoot: telegram.apiRoot, privateIntervalMs: 0 },
    });
    const secrets = secretsSchema.parse({ telegram: { botToken: telegram.token } });
    let platform = await startPlatform({ logger }, config, secrets);
    cleanups.push(() => platform.stop());

    // The owner pairs their Telegram account with the code the banner prints.
    const code = /sending \/start (\S+) to the bot/.exec(
      platform.banner.find((l) => l.startsWith('telegram:')) ?? '',
    )?.[1];
    expect(code, platform.banner.join('\n')).toBeDefined();
    telegram.sendText(owner, `/start ${code}`);
    await telegram.waitForCall(
      (c) => c.method === 'sendMessage' && /^Paired: you are owner/.test(String(c.params.text)),
      'paired',
    );
    const page = await openPage(platform);

    // The level, set through MCP with the owner's token.
    const { level, direction } = lateLevel();
    const gateway = gatewayOf(platform);
    const client = new Client({ name: 'alerts-e2e', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp/market-data`), {
        requestInit: { headers: { Authorization: `Bearer ${gateway.mcpToken}` } },
      }),
    );
    const created = await client.callTool({
      name: 'create_alert',
      arguments: { kind: 'price_level', symbol: 'BTCUSDT', level, direction },
    });
    await client.close();
    expect(created.isError ?? false).toBe(false);
    const ruleFile = path.join(dataDir, 'alerts', `${encodeURIComponent(OWNER_USER_ID)}.json`);
    const file = JSON.parse(readFileSync(ruleFile, 'utf8')) as {
      rules: { id: string; createdAtUs: number }[];
    };
    expect(file.rules).toHaveLength(1);
    // Dated inside the recording (market time), before the level's late crossing.
    const recorded = loadBtcusdtTrades();
    expect(file.rules[0]!.createdAtUs).toBeGreaterThanOrEqual(recorded[0]!.timeUs);
    expect(file.rules[0]!.createdAtUs).toBeLessThanOrEqual(recorded.at(-1)!.timeUs);

    const toPhone = () =>
      telegram
        .callsOf('sendMessage')
        .filter((c) => c.params.chat_id === owner.id && String(c.params.text).startsWith('🔔 Alert'));
    await until(() => toPhone().length > 0 && page.alerts.length > 0, 'the alert on Telegram and the page', {
      timeoutMs: 60_000,
    });
    const text = String(toPhone()[0]!.params.text);
    expect(text).toContain(`BINANCE:BTCUSDT`);
    expect(text).toMatch(/as of 2024-08-0[89]T/);

    // Stop (the replay drains through the pipeline and the deliverer first): still once each.
    await platform.stop();
    expect(toPhone()).toHaveLength(1);
    expect(page.alerts).toHaveLength(1);
    page.close();

    // A second run on the same data dir replays the session again: nothing is delivered again.
    platform = await startPlatform({ logger }, config, secrets);
    const again = await openPage(platform);
    await platform.stop();
    again.close();
    expect(toPhone()).toHaveLength(1);
    expect(again.alerts).toEqual([]);
  });
});
