/**
 * Alerts end to end, in one process: create_alert through a real MCP client → the rule file →
 * the running alerts stage (it reloads on the file change) → the recorded BTCUSDT trades replayed
 * onto norm.trade.sequenced cross the level → `alerts` → the deliverer → the web inbox → the open
 * WebSocket (the real hub over an http server on port 0), exactly once; a restarted deliverer
 * sends nothing again; a page that connects later gets the unseen list. A second channel (a
 * recording AlertSink, as the Telegram bot will plug in) gets each alert once too.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedContext } from '../../mcp-servers/common/index.ts';
import { createNamedServer } from '../../mcp-servers/registry.ts';
import { callTool, linkClient, textOf } from '../../mcp-servers/testing/link-client.ts';
import { openTestServices } from '../../mcp-servers/testing/services.ts';
import {
  type AlertSink,
  createAlertRuleStore,
  createAlertsStage,
  createDeliveryLedger,
  type DeliveredAlert,
  startAlertDeliverer,
  watchAlertRules,
} from '../../pipeline/alerts/index.ts';
import { makeTestBus, testLogger } from '../../pipeline/bus/testing/index.ts';
import { TOPIC_NAMES } from '../../pipeline/bus/topic-names.ts';
import { ensureTopics, loadTopics } from '../../pipeline/bus/topics.ts';
import type { BusRecord } from '../../pipeline/bus/types.ts';
import { loadBtcusdtTrades } from '../../pipeline/processors/testing/recorded-trades.ts';
import { EnvelopeCodec, EventType, SCHEMA_VERSION, TradeCodec } from '../../proto/index.ts';
import { until } from '../../test/support/index.ts';
import { ALICE_TOKEN, testGateway } from '../testing/gateway.ts';
import { createAlertInbox, webAlertSink } from './alert-inbox.ts';
import type { ServerMessage } from './protocol.ts';
import { openRecordingSocket } from './testing/recording-socket.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const VENUE = 'BINANCE';
const SYMBOL = 'BTCUSDT';

/** The recorded trades re-timed to start at `startUs`, as sequenced records from seq `firstSeq`. */
function replay(startUs: number, firstSeq: number): { records: BusRecord[]; endUs: number } {
  const trades = loadBtcusdtTrades();
  const shift = startUs - trades[0]!.timeUs;
  const records = trades.map((t, i) => ({
    topic: TOPIC_NAMES.normTradeSequenced,
    key: `${VENUE}:${SYMBOL}`,
    value: EnvelopeCodec.encode({
      eventId: `${VENUE}:${SYMBOL}:trade:${firstSeq + i}`,
      eventType: EventType.trade,
      venue: VENUE,
      symbol: SYMBOL,
      observedAtUs: t.timeUs + shift,
      schemaVersion: SCHEMA_VERSION,
      stream: 'trade',
      seq: firstSeq + i,
      payload: TradeCodec.encode({
        tradeId: String(firstSeq + i),
        price: t.price,
        quantity: t.quantity,
        aggressor: t.aggressor,
        timeUs: t.timeUs + shift,
        tradeCount: 1,
      }),
    }),
  }));
  return { records, endUs: trades.at(-1)!.timeUs + shift };
}

/** A level the recorded prices first cross after their first 3,000 trades, and its direction. */
function crossedLevel(): { level: number; direction: 'up' | 'down' } {
  const prices = loadBtcusdtTrades().map((t) => Number(t.price));
  const head = prices.slice(0, 3000);
  const up = Math.max(...prices.slice(3000)) > Math.max(...head);
  return up
    ? { level: Math.max(...head) + 0.01, direction: 'up' }
    : { level: Math.min(...head) - 0.01, direction: 'down' };
}

interface Page {
  readonly messages: ServerMessage[];
  send(message: object): void;
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[];
}

async function openPage(url: string): Promise<Page> {
  const { ws, messages } = await openRecordingSocket(url, {
    headers: { authorization: `Bearer ${ALICE_TOKEN}` },
  });
  cleanups.push(() => ws.terminate());
  const page: Page = {
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    of: (type) => messages.filter((m) => m.type === type) as never,
  };
  await until(() => page.of('hello').length === 1, 'hello');
  return page;
}

describe('alerts: MCP → stage → deliverer → WebSocket', () => {
  it('an alert set through MCP reaches the open page once, and not again after a deliverer restart', {
    timeout: 120_000,
  }, async () => {
    const logger = testLogger();
    const { services, cleanup } = await openTestServices();
    cleanups.push(cleanup);
    const { dataDir } = services;
    const bus = makeTestBus('embedded', logger);
    cleanups.push(() => bus.close());
    await ensureTopics(bus, loadTopics());

    // The stage, with its own store over the data dir: MCP's writes reach it through the watch.
    const stageRules = createAlertRuleStore({ dataDir });
    const watch = watchAlertRules(stageRules, { dataDir });
    cleanups.push(() => watch.close());
    const stage = createAlertsStage({ bus, logger, rules: stageRules });
    await stage.start();
    cleanups.push(() => stage.stop());

    // The hub with the web inbox, over a real http server.
    const inbox = createAlertInbox({ dataDir });
    const gateway = testGateway({}, { ws: { alerts: inbox } });
    const server: Server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', gateway.upgrade);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise((resolve) => server.close(resolve)),
      () => gateway.close(),
    );
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
    const page = await openPage(url);

    // Deliverer: the web channel and a second channel standing in for Telegram.
    const phone: DeliveredAlert[] = [];
    const telegram: AlertSink = { channel: 'telegram', deliver: async (a) => void phone.push(a) };
    const sinks = [webAlertSink(inbox), telegram];
    let deliverer = await startAlertDeliverer({
      bus,
      ledger: createDeliveryLedger({ dataDir }),
      sinks,
      logger,
    });

    // alice (ALICE_TOKEN on the gateway) sets the alert through MCP.
    const mcp = await linkClient(
      (
        await createNamedServer(
          'market-data',
          services,
          fixedContext({ userId: 'alice', workspaceId: 'main', channel: 'test', licence: 'pro' }),
        )
      ).server,
    );
    cleanups.push(mcp.close);
    const { level, direction } = crossedLevel();
    const created = await callTool(mcp.client, 'create_alert', {
      kind: 'price_level',
      symbol: SYMBOL,
      level,
      direction,
    });
    expect(created.isError, textOf(created)).toBeFalsy();
    const ruleId = /Alert (\S+) set/.exec(textOf(created))![1]!;
    await until(() => stageRules.rules().length === 1, 'the stage to reload the rule file');

    // The replay, timed after the rule's creation, crosses the level once.
    const first = replay(Date.now() * 1000 + 1_000_000, 1);
    for (let i = 0; i < first.records.length; i += 500) await bus.produce(first.records.slice(i, i + 500));
    await until(() => page.of('alert').length >= 1, 'the alert on the page');
    const [alert] = page.of('alert');
    expect(alert!.alert).toMatchObject({
      ruleId,
      exchange: VENUE,
      symbol: SYMBOL,
      kind: 'price_level',
      threshold: level,
    });
    expect(direction === 'up' ? alert!.alert.value >= level : alert!.alert.value <= level).toBe(true);
    await until(() => deliverer.stats().delivered === 2, 'both channels delivered');
    expect(phone.map((a) => a.alertId)).toEqual([alert!.alert.alertId]);

    // The deliverer restarts; a second rule then fires on a second replay. The alerts topic keeps
    // one series in order, so once the second alert is on the page, a repeat of the first would be too.
    await deliverer.stop();
    deliverer = await startAlertDeliverer({ bus, ledger: createDeliveryLedger({ dataDir }), sinks, logger });
    cleanups.push(() => deliverer.stop());
    const again = await callTool(mcp.client, 'create_alert', {
      kind: 'price_level',
      symbol: SYMBOL,
      level,
      direction: 'either',
    });
    expect(again.isError, textOf(again)).toBeFalsy();
    await until(() => stageRules.rules().length === 2, 'the stage to reload the second rule');
    const second = replay(first.endUs + 60_000_000, first.records.length + 1);
    for (let i = 0; i < second.records.length; i += 500) await bus.produce(second.records.slice(i, i + 500));
    await until(() => page.of('alert').length >= 2, 'the second alert on the page');
    await until(() => deliverer.stats().delivered === 2, 'the second alert delivered to both channels');
    const ids = page.of('alert').map((m) => m.alert.alertId);
    expect(new Set(ids).size).toBe(2);
    expect(ids).toHaveLength(2);
    expect(phone.map((a) => a.alertId)).toEqual(ids);
    expect(deliverer.stats().repeated).toBe(0);

    // A page opened now gets both as unseen; once the first is marked seen, only the second.
    const later = await openPage(url);
    await until(() => later.of('alerts.unseen').length === 1, 'the unseen list');
    expect(later.of('alerts.unseen')[0]!.alerts.map((a) => a.alertId)).toEqual(ids);
    expect(later.of('alert')).toEqual([]);
    later.send({ op: 'alerts.seen', ids: [ids[0]] });
    await until(() => inbox.unseen('alice').length === 1, 'the first alert marked seen');
    const third = await openPage(url);
    await until(() => third.of('alerts.unseen').length === 1, 'the unseen list, again');
    expect(third.of('alerts.unseen')[0]!.alerts.map((a) => a.alertId)).toEqual([ids[1]]);
  });
});
