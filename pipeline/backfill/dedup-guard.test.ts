import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createEmbeddedBus } from '../bus/index.ts';
import { createDeduplicator, PROCESSOR_TOPICS } from '../processors/index.ts';
import { createDedupGuard } from './dedup-guard.ts';

describe('createDedupGuard', () => {
  it('predicts duplicates and expired ids from the dedup changelog, and advances with new ids', async () => {
    const bus = createEmbeddedBus({ logger: createLogger({ name: 't', level: 'silent' }) });
    const live = createDeduplicator({ windowIds: 64 });
    for (let id = 1000; id < 1100; id++) if (id !== 1090) live.checkId('BINANCE:BTCUSDT', id);
    await bus.produce([
      {
        topic: PROCESSOR_TOPICS.stateDedup,
        key: 'BINANCE:BTCUSDT',
        value: live.snapshotSeries('BINANCE:BTCUSDT')!,
      },
    ]);
    const guard = await createDedupGuard(bus, 'BINANCE:BTCUSDT', 64);
    expect(guard.verdict(1000)).toBe('expired');
    expect(guard.verdict(1095)).toBe('duplicate');
    expect(guard.verdict(1090)).toBe('new');
    expect(guard.verdict(1090)).toBe('duplicate');
    expect(guard.verdict(1100)).toBe('new');
    const fresh = await createDedupGuard(bus, 'BINANCE:ETHUSDT', 64);
    expect(fresh.verdict(5)).toBe('new');
    await bus.close();
  });
});
