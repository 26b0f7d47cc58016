/**
 * The alerts stage in a child process, for the Kafka crash test (../kafka-crash.test.ts), on the
 * namespace QF_NS of the broker KAFKA_BROKERS, with the rules of QF_RULES (a JSON array).
 * With QF_HOLD_ON_FIRE=n (n ≥ 1) the
 * n-th batch of sequenced trades whose outputs hold an alert prints `fired` and never returns (its transaction never
 * commits), so the test can SIGKILL it between consuming a crossing and committing; the batches
 * before it commit as usual.
 * SIGTERM stops it gracefully.
 */
import { z } from 'zod';
import { namespacedBus } from '../../bus/namespaced.ts';
import { makeTestBus, testLogger } from '../../bus/testing/index.ts';
import type { Bus } from '../../bus/types.ts';
import { alertRuleSchema } from '../rules.ts';
import { ALERTS_TOPICS, createAlertsStage } from '../stage.ts';

const ns = process.env.QF_NS;
if (!ns) throw new Error('QF_NS is not set');
const rules = z.array(alertRuleSchema).parse(JSON.parse(process.env.QF_RULES ?? '[]'));
const holdAt = Number(process.env.QF_HOLD_ON_FIRE ?? '0');
let alertBatches = 0;
const logger = testLogger();

// Small fetches: many small batches, each its own transaction.
const namespaced = namespacedBus(makeTestBus('kafka', logger, { maxBytesPerPartition: 8192 }), ns);
const bus: Bus =
  holdAt > 0
    ? {
        ...namespaced,
        transform: (options) =>
          namespaced.transform({
            ...options,
            handler: async (batch) => {
              const out = await options.handler(batch);
              const fired = out.some((r) => r.topic === ALERTS_TOPICS.alerts);
              if (batch.topic === ALERTS_TOPICS.sequenced && fired && ++alertBatches === holdAt) {
                process.stdout.write('fired\n');
                await new Promise(() => {});
              }
              return out;
            },
          }),
      }
    : namespaced;

const stage = createAlertsStage({ bus, logger, rules: { rules: () => rules, version: () => 1 } });
await stage.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void (async () => {
    await stage.stop();
    await bus.close();
    process.exit(0);
  })();
});
