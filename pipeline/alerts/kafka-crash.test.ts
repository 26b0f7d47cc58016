/**
 * The alerts issue's exactly-once check, on real Kafka: the 19,904 recorded BTCUSDT trades go to
 * norm.trade.sequenced (seq 1..N, as the trade processor writes them) and their final 1m bars to
 * bars.1m. The alerts stage runs in a child process that holds the first batch whose outputs hold
 * an alert (consumed the crossing, not committed) and is SIGKILLed there, then restarted. The
 * committed `alerts` topic must hold exactly the alerts of an uninterrupted run of the pure
 * evaluator, each once: a level crossed by the data (fired once), the same level recurring, and
 * a trend line on 1m bars that the close crosses at one bar's time.
 *
 * Isolation on the shared broker: stage and test go through `namespacedBus`; its topics are
 * deleted after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AlertCodec,
  BarCodec,
  EnvelopeCodec,
  EventType,
  SCHEMA_VERSION,
  TradeCodec,
} from '../../proto/index.ts';
import { onLines, REPO_ROOT, until } from '../../test/support/index.ts';
import { namespacedBus, namespaceRenames } from '../bus/namespaced.ts';
import {
  deleteNamespaceTopics,
  drainTopic,
  makeTestBus,
  testBrokers,
  testLogger,
  uniqueName,
} from '../bus/testing/index.ts';
import { ensureTopics, loadTopics } from '../bus/topics.ts';
import type { Bus, BusMessage, BusRecord } from '../bus/types.ts';
import { toBarMessage, toBarTrade } from '../processors/bars/bar-state.ts';
import { buildBars } from '../processors/bars/build-bars.ts';
import { loadBtcusdtTrades } from '../processors/testing/recorded-trades.ts';
import { type AlertFire, createAlertEvaluator } from './evaluator.ts';
import { type AlertRule, alertRuleSchema } from './rules.ts';
import { ALERTS_STAGE_GROUP, ALERTS_TOPICS } from './stage.ts';

const workerScript = path.join(import.meta.dirname, 'testing', 'stage-worker.ts');
const TOPICS = loadTopics().filter((t) => (Object.values(ALERTS_TOPICS) as string[]).includes(t.name));
const partitionsOf = (name: string) => TOPICS.find((t) => t.name === name)?.partitions ?? 1;
const VENUE = 'BINANCE';
const SYMBOL = 'BTCUSDT';

interface Worker {
  readonly child: ChildProcess;
  fired: boolean;
  readonly exited: Promise<number | null>;
}
const children: ChildProcess[] = [];

function startWorker(ns: string, rules: readonly AlertRule[], holdAt: number): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      KAFKA_BROKERS: testBrokers().join(','),
      QF_NS: ns,
      QF_RULES: JSON.stringify(rules),
      QF_HOLD_ON_FIRE: String(holdAt),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const worker: Worker = {
    child,
    fired: false,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  onLines(child.stdout!, (line) => {
    if (line === 'fired') worker.fired = true;
  });
  return worker;
}

/** True when the stage's group has committed offsets at the end of every input partition. */
async function inputCommitted(namespace: string): Promise<boolean> {
  const names = namespaceRenames(namespace);
  const admin = new Kafka({ brokers: testBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const inputs = [ALERTS_TOPICS.sequenced, ALERTS_TOPICS.bars1m].map(names.toBroker);
    const committed = await admin.fetchOffsets({ groupId: names.group(ALERTS_STAGE_GROUP), topics: inputs });
    for (const topic of inputs) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const at = Number(mine.find((p) => p.partition === end.partition)?.offset ?? '-1');
        if (Math.max(at, 0) < Number(end.high)) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

const ruleOf = (m: BusMessage) => AlertCodec.decode(EnvelopeCodec.decode(m.value).payload).ruleId;

let ns = '';
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (ns !== '') await deleteNamespaceTopics([ns]);
});

const base = { userId: 'u1', workspaceId: 'w1', venue: VENUE, symbol: SYMBOL, createdAtUs: 0 };

describe('Kafka: the alerts stage SIGKILLed between a crossing and its commit', () => {
  it('fires every alert exactly once, as an uninterrupted run does', { timeout: 240_000 }, async () => {
    const trades = loadBtcusdtTrades();
    const prices = trades.map((t) => Number(t.price));
    // A level the data first crosses after its first 3,000 trades: just beyond their highest
    // price if the rest goes higher, else just below their lowest.
    const head = prices.slice(0, 3000);
    const rest = prices.slice(3000);
    const up = Math.max(...rest) > Math.max(...head);
    const level = up ? Math.max(...head) + 0.01 : Math.min(...head) - 0.01;
    expect(up || Math.min(...rest) < level).toBe(true);
    const bars = buildBars(
      trades.map((t, i) => toBarTrade(i + 1, t.timeUs, t.price, t.quantity, t.aggressor)),
      '1m',
    ).map((b) => ({ ...toBarMessage(b), final: true }));
    // A trend line over two neighbouring bars whose closes rose: δ above bar j-1's close at its
    // time, δ below bar j's close at its time (extended right only), so the close crosses it
    // upward at bar j, at the price the line has at that bar's time.
    const closes = bars.map((b) => Number(b.close));
    const j = closes.findIndex((c, i) => i > 0 && c > (closes[i - 1] as number));
    expect(j).toBeGreaterThan(0);
    const delta = ((closes[j] as number) - (closes[j - 1] as number)) / 4;
    const lineAtJ = (closes[j] as number) - delta;
    const rules = [
      { ...base, id: 'level-once', kind: 'price_level', level, direction: up ? 'up' : 'down', mode: 'once' },
      { ...base, id: 'level-every', kind: 'price_level', level, direction: 'either', mode: 'recurring' },
      {
        ...base,
        id: 'line-bar',
        kind: 'trend_line',
        on: 'bar',
        period: '1m',
        extend: 'right',
        direction: 'up',
        from: { time: Number(bars[j - 1]?.openTimeUs), price: (closes[j - 1] as number) + delta },
        to: { time: Number(bars[j]?.openTimeUs), price: lineAtJ },
      },
    ].map((r) => alertRuleSchema.parse(r));

    // The uninterrupted run: the pure evaluator over the same input.
    const evaluator = createAlertEvaluator();
    evaluator.setRules(rules);
    const expected: AlertFire[] = [];
    trades.forEach((t, i) => {
      evaluator.onTrade(VENUE, SYMBOL, i + 1, t.timeUs, () => Number(t.price), expected);
    });
    for (const b of bars)
      evaluator.onBar(
        {
          venue: VENUE,
          symbol: SYMBOL,
          period: '1m',
          openTimeUs: Number(b.openTimeUs),
          closeTimeUs: Number(b.closeTimeUs),
          open: Number(b.open),
          high: Number(b.high),
          low: Number(b.low),
          close: Number(b.close),
          volume: Number(b.volume),
        },
        expected,
      );
    if (process.env.QF_DEBUG)
      process.stderr.write(`${expected.map((f) => `${f.rule.id}:${f.trigger}`).join(' ')}\n`);
    const byRule = (id: string) => expected.filter((f) => f.rule.id === id);
    expect(byRule('level-once')).toHaveLength(1);
    expect(byRule('level-every').length).toBeGreaterThan(1);
    expect(byRule('line-bar').map((f) => [f.trigger, f.threshold])).toEqual([
      [`b1m:${bars[j]?.openTimeUs}`, lineAtJ],
    ]);

    ns = uniqueName('qf-alerts-crash');
    const logger = testLogger();
    const bus: Bus = namespacedBus(makeTestBus('kafka', logger), ns);
    try {
      await ensureTopics(bus, TOPICS);
      const records: BusRecord[] = trades.map((t, i) => ({
        topic: ALERTS_TOPICS.sequenced,
        key: `${VENUE}:${SYMBOL}`,
        value: EnvelopeCodec.encode({
          eventId: `${VENUE}:${SYMBOL}:trade:${t.id}`,
          eventType: EventType.trade,
          venue: VENUE,
          symbol: SYMBOL,
          observedAtUs: t.timeUs,
          schemaVersion: SCHEMA_VERSION,
          stream: 'trade',
          seq: i + 1,
          payload: TradeCodec.encode({
            tradeId: String(t.id),
            price: t.price,
            quantity: t.quantity,
            aggressor: t.aggressor,
            timeUs: t.timeUs,
            tradeCount: 1,
          }),
        }),
      }));
      // Small produce calls make small record batches: many transactions to land in.
      for (let i = 0; i < records.length; i += 100) await bus.produce(records.slice(i, i + 100));
      await bus.produce(
        bars.map((b) => ({
          topic: ALERTS_TOPICS.bars1m,
          key: `${VENUE}:${SYMBOL}`,
          value: EnvelopeCodec.encode({
            eventId: `${VENUE}:${SYMBOL}:bar:1m:${b.openTimeUs}:final`,
            eventType: EventType.bar,
            venue: VENUE,
            symbol: SYMBOL,
            observedAtUs: Number(b.closeTimeUs),
            schemaVersion: SCHEMA_VERSION,
            payload: BarCodec.encode(b),
          }),
        })),
      );

      const alertsNow = () => drainTopic(bus, ALERTS_TOPICS.alerts, partitionsOf(ALERTS_TOPICS.alerts));
      // 1. Killed holding the first trade batch with a crossing: none of its alerts is visible
      // (the bar batch with the trend-line fire, another partition, may have committed).
      const first = startWorker(ns, rules, 1);
      await until(() => first.fired, 'the stage to consume a crossing', { timeoutMs: 120_000 });
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe(null);
      expect((await alertsNow()).filter((m) => ruleOf(m) !== 'line-bar')).toHaveLength(0);
      // 2. Restarted, it commits that batch (the once rule's fire, and the evaluator state with
      // it), then is killed holding the next trade batch with a crossing: its successor must restore that state (the once rule done, the
      // level's side) or it would fire again or miss a crossing.
      const second = startWorker(ns, rules, 2);
      await until(() => second.fired, 'the restarted stage to consume a second crossing', {
        timeoutMs: 120_000,
      });
      second.child.kill('SIGKILL');
      expect(await second.exited).toBe(null);
      expect((await alertsNow()).map(ruleOf)).toContain('level-once');

      // 3. Restarted again, it runs to the end.
      const third = startWorker(ns, rules, 0);
      await until(() => inputCommitted(ns), 'the restarted stage to commit all its input', {
        timeoutMs: 180_000,
      });
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);

      const got = (await drainTopic(bus, ALERTS_TOPICS.alerts, partitionsOf(ALERTS_TOPICS.alerts))).map(
        (m) => {
          const envelope = EnvelopeCodec.decode(m.value);
          const alert = AlertCodec.decode(envelope.payload);
          expect(envelope.eventId).toBe(alert.alertId);
          expect(m.key).toBe(`${VENUE}:${SYMBOL}`);
          return `${alert.ruleId} ${alert.alertId} ${alert.triggeredAtUs}`;
        },
      );
      const want = expected.map((f) => `${f.rule.id} ${f.alertId} ${f.timeUs}`);
      expect(got.sort()).toEqual(want.sort());
    } finally {
      await bus.close();
    }
  });
});
