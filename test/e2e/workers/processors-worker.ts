/**
 * The trade processor (dedup, sequencer, bars) in a child process, for the Kafka crash test
 * (test/e2e/kafka-bars-crash.test.ts), on the namespace QF_NS of the broker KAFKA_BROKERS.
 * Prints `batch <groupId> <partition> <firstOffset> <count>` on stdout as each transform batch
 * reaches its handler, so the test can SIGKILL it mid-stream. SIGTERM stops it gracefully.
 *
 * Env: KAFKA_BROKERS, QF_NS, QF_FETCH_BYTES (optional, bytes per partition per fetch: small
 * fetches mean many small transactions to be killed in the middle of).
 */

import { namespacedBus } from '../../../pipeline/bus/namespaced.ts';
import { makeTestBus, testLogger } from '../../../pipeline/bus/testing/index.ts';
import { createTradeProcessor, processorsConfigSchema } from '../../../pipeline/processors/index.ts';

const ns = process.env.QF_NS;
if (!ns) throw new Error('QF_NS is not set');
const logger = testLogger();
const bus = namespacedBus(
  makeTestBus('kafka', logger, { maxBytesPerPartition: Number(process.env.QF_FETCH_BYTES ?? 16_384) }),
  ns,
  {
    onTransformBatch: (groupId, batch) =>
      process.stdout.write(
        `batch ${groupId} ${batch.partition} ${batch.messages[0]?.offset} ${batch.messages.length}\n`,
      ),
  },
);
const config = processorsConfigSchema.parse({});
const trades = createTradeProcessor({ bus, logger }, config);
await trades.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void (async () => {
    await trades.stop();
    await bus.close();
    process.exit(0);
  })();
});
