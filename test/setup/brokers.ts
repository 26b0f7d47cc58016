// Plain helpers shared by the vitest global setup (main process) and tests; no vitest imports here.

/** Default address of the local broker started by `deploy/kafka/kafka.sh`. */
export const LOCAL_KAFKA_BROKERS = `127.0.0.1:${process.env.KAFKA_PORT ?? '19092'}`;

/**
 * Parses a `KAFKA_BROKERS`-style list (`host:port[,host:port]`); throws a message naming the bad entry.
 */
export function parseBrokerList(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) throw new Error(`KAFKA_BROKERS is empty; expected host:port[,host:port]`);
  for (const broker of brokers) {
    const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
    if (!/^[^\s:]+:\d+$/.test(broker) || port < 1 || port > 65_535) {
      throw new Error(`KAFKA_BROKERS entry "${broker}" is not host:port (port 1-65535)`);
    }
  }
  return brokers;
}
