/**
 * A consume-transform-produce worker process for the crash test (kafka/crash.test.ts): copies
 * every record of QF_IN to QF_OUT through `bus.transform`, printing `batch <partition> <offset>
 * <count>` on stdout as each batch starts so the test can SIGKILL it mid-batch.
 *
 * Env: KAFKA_BROKERS, QF_IN, QF_OUT, QF_GROUP, QF_PREFIX. SIGTERM closes it gracefully.
 */
import { makeTestBus } from '../../testing/index.ts';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const [input, output, groupId, prefix] = ['QF_IN', 'QF_OUT', 'QF_GROUP', 'QF_PREFIX'].map(need) as [
  string,
  string,
  string,
  string,
];

// Small fetches give many small batches (and so many transactions) to be killed in the middle of.
const bus = makeTestBus('kafka', undefined, {
  maxBytesPerPartition: 4096,
  partitionsConsumedConcurrently: 3,
});
await bus.transform({
  groupId,
  topics: [input],
  transactionalIdPrefix: prefix,
  fromBeginning: true,
  handler: async (batch) => {
    process.stdout.write(`batch ${batch.partition} ${batch.messages[0]?.offset} ${batch.messages.length}\n`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return batch.messages.map((m) => ({ topic: output, key: m.key, value: m.value }));
  },
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void bus.close().then(() => process.exit(0));
});
