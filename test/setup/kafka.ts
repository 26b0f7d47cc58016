import { inject } from 'vitest';
import { parseBrokerList } from './brokers.ts';

export { LOCAL_KAFKA_BROKERS, parseBrokerList } from './brokers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Comma-separated `host:port` list of the Kafka broker the test run uses. */
    kafkaBrokers: string;
  }
}

/**
 * The brokers of the Kafka the test run uses, for tests: `KAFKA_BROKERS` (set or inherited from the
 * vitest global setup) or, failing that, the value the global setup provided. Throws when neither is
 * present, so a Kafka suite never silently runs against nothing.
 */
export function kafkaBrokers(): string[] {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return parseBrokerList(fromEnv);
  const provided = inject('kafkaBrokers');
  if (provided) return parseBrokerList(provided);
  throw new Error(
    'no Kafka brokers: KAFKA_BROKERS is unset and test/setup/kafka-global-setup.ts did not run (check vitest.config.ts globalSetup)',
  );
}
