import { describe, expect, it } from 'vitest';
import { busConfigSchema, createBus } from './index.ts';
import { testLogger, textBytes } from './testing.ts';

describe('createBus', () => {
  it('builds the backend the config names, embedded by default', async () => {
    const logger = testLogger();
    const embedded = createBus({ logger }, busConfigSchema.parse({}));
    expect(embedded.kind).toBe('embedded');
    await embedded.produce([{ topic: 'norm.trade', key: 'BINANCE:BTCUSDT', value: textBytes('x') }]);
    expect((await embedded.readCompacted('norm.trade')).size).toBe(1);
    await embedded.close();
    await expect(embedded.produce([])).rejects.toThrow(/closed/);

    // Nothing connects until first use, so building and closing a Kafka bus needs no broker.
    const kafka = createBus(
      { logger },
      busConfigSchema.parse({ kind: 'kafka', kafka: { brokers: ['127.0.0.1:1'] } }),
    );
    expect(kafka.kind).toBe('kafka');
    await kafka.close();
  });

  it('rejects a malformed broker address naming what is valid', () => {
    const result = busConfigSchema.safeParse({ kind: 'kafka', kafka: { brokers: ['localhost'] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('expected host:port');
  });
});
