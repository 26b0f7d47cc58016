/**
 * The deliverer's exactly-once per (alert id, channel): a channel that fails makes the bus deliver
 * the batch again, and the channels that had it are not sent it twice; the same alert produced
 * again (same id) is skipped after a restart; a torn ledger line is survived.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../test/support/index.ts';
import { makeTestBus, testLogger } from '../bus/testing/index.ts';
import { ensureTopics, loadTopics } from '../bus/topics.ts';
import { type AlertSink, type DeliveredAlert, startAlertDeliverer } from './deliverer.ts';
import { createDeliveryLedger, deliveryLedgerDir } from './delivery-ledger.ts';
import { alertIdOf } from './evaluator.ts';
import { alertRuleSchema } from './rules.ts';
import { alertRecord } from './stage.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const rule = alertRuleSchema.parse({
  id: 'r1',
  userId: 'u1',
  workspaceId: 'w',
  venue: 'BINANCE',
  symbol: 'BTCUSDT',
  kind: 'price_level',
  level: 100,
  direction: 'up',
  createdAtUs: 0,
});
const fire = (seq: number) => ({
  rule,
  alertId: alertIdOf(rule.id, `t${seq}`),
  trigger: `t${seq}`,
  timeUs: seq * 1_000_000,
  value: 101,
  threshold: 100,
  message: `BTCUSDT crossed 100 (${seq})`,
});

function recorder(channel: string, failFirst?: string): AlertSink & { got: DeliveredAlert[] } {
  const got: DeliveredAlert[] = [];
  let failed = false;
  return {
    channel,
    got,
    async deliver(alert) {
      if (alert.alertId === failFirst && !failed) {
        failed = true;
        throw new Error(`${channel} is down`);
      }
      got.push(alert);
    },
  };
}

describe('alert deliverer', () => {
  it('delivers each alert once per channel across a failed batch and a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'qf-deliver-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const logger = testLogger();
    const bus = makeTestBus('embedded', logger);
    cleanups.push(() => bus.close());
    await ensureTopics(bus, loadTopics());
    const [a, b] = [fire(1), fire(2)];
    await bus.produce([alertRecord(a, 0), alertRecord(b, 0)]);

    // web takes both; telegram fails on the second, so the batch (both alerts) comes again.
    const web = recorder('web');
    const telegram = recorder('telegram', b.alertId);
    const first = await startAlertDeliverer({
      bus,
      ledger: createDeliveryLedger({ dataDir }),
      sinks: [web, telegram],
      logger,
    });
    await until(() => first.stats().delivered === 4, 'four deliveries');
    expect(web.got.map((x) => x.alertId)).toEqual([a.alertId, b.alertId]);
    expect(telegram.got.map((x) => x.alertId)).toEqual([a.alertId, b.alertId]);
    // The retried batch found web's copy of the second alert (at least) in the ledger.
    expect(first.stats().repeated).toBeGreaterThanOrEqual(1);
    await first.stop();

    // The same alert produced again (an upstream repeat) after a restart: skipped by id, with a
    // torn line at the end of the ledger (a crash mid-append) that costs nothing.
    const file = path.join(deliveryLedgerDir(dataDir), 'u1.jsonl');
    appendFileSync(file, '{"id":"torn');
    await bus.produce([alertRecord(b, 0), alertRecord(fire(3), 0)]);
    const second = await startAlertDeliverer({
      bus,
      ledger: createDeliveryLedger({ dataDir }),
      sinks: [web, telegram],
      logger,
    });
    cleanups.push(() => second.stop());
    await until(() => second.stats().delivered === 2, 'the new alert on both channels');
    expect(second.stats().repeated).toBe(2);
    expect(web.got.map((x) => x.alertId)).toEqual([a.alertId, b.alertId, fire(3).alertId]);
    expect(telegram.got.map((x) => x.alertId)).toEqual([a.alertId, b.alertId, fire(3).alertId]);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.filter((l) => l.startsWith('{"id":"torn'))).toEqual(['{"id":"torn']);
    expect(createDeliveryLedger({ dataDir }).has('u1', fire(3).alertId, 'telegram')).toBe(true);
  });
});
