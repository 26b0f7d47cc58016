// Readiness probe for kafka.sh: waits until the broker answers a metadata request.
// Usage: node probe.mjs <brokers> <timeoutMs> [pid]
// Exit codes: 0 ready, 1 timed out, 2 the broker process (pid) died while waiting, 64 bad usage.
import { Kafka, logLevel } from 'kafkajs';

const [brokersArg, timeoutArg, pidArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg);
const pid = pidArg === undefined ? undefined : Number(pidArg);
if (
  !brokersArg ||
  !Number.isFinite(timeoutMs) ||
  timeoutMs <= 0 ||
  (pid !== undefined && !Number.isInteger(pid))
) {
  process.stderr.write('usage: node probe.mjs <host:port[,host:port]> <timeoutMs> [pid]\n');
  process.exit(64);
}

const alive = (p) => {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
};

const kafka = new Kafka({
  clientId: 'quantforge-kafka-probe',
  brokers: brokersArg.split(','),
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 3000,
  retry: { retries: 0 },
});

const deadline = Date.now() + timeoutMs;
let lastError = 'no attempt made';
while (Date.now() < deadline) {
  if (pid !== undefined && !alive(pid)) {
    process.stderr.write(`broker process ${pid} exited before it became ready\n`);
    process.exit(2);
  }
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    process.stdout.write(`ready: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)\n`);
    process.exit(0);
  } catch (err) {
    lastError = err instanceof Error ? err.message : String(err);
    await admin.disconnect().catch(() => {});
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
process.stderr.write(
  `broker at ${brokersArg} did not answer a metadata request within ${timeoutMs} ms: ${lastError}\n`,
);
process.exit(1);
