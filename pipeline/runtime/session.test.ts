import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { recordedData } from '../../test/support/index.ts';
import { busConfigSchema } from '../bus/config.ts';
import { BusClosedError } from '../bus/index.ts';
import { processorsConfigSchema } from '../processors/config.ts';
import { parseStoreConfig } from '../store/index.ts';
import { BTC_TRADES } from '../store/testing/recorded-trades.ts';
import { tempStore } from '../store/testing/temp-store.ts';
import { replayFile } from './replay-source.ts';
import { openPipelineSession } from './session.ts';

const logger = createLogger({ name: 'session-test', level: 'silent' });
const embedded = busConfigSchema.parse({ kind: 'embedded' });
const processors = processorsConfigSchema.parse({});
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Replays the recorded BTCUSDT trades through one session over `store` and closes it. */
async function ingestOnce(store: ReturnType<typeof tempStore>['config']) {
  const session = await openPipelineSession({ logger }, { bus: embedded, store, processors });
  try {
    const pipeline = await session.start();
    await replayFile({ bus: session.bus, logger }, recordedData(BTC_TRADES), {
      venue: 'BINANCE',
      format: 'binance-trades-csv',
      symbol: 'BTCUSDT',
    });
    return await pipeline.settled({ quietMs: 500 });
  } finally {
    await session.close();
  }
}

describe('pipeline session', () => {
  it('keeps processor state between sessions on the embedded bus: a second run stores nothing twice', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    const first = await ingestOnce(store.config);
    expect(first.sink.trades).toBeGreaterThan(1000);
    expect(first.sink.replayedTrades).toBe(0);
    // State is saved after the stages stop, so it holds their last commit.
    expect(existsSync(join(store.dir, '_state'))).toBe(true);

    const second = await ingestOnce(store.config);
    expect(second.sink.trades).toBe(0);
    expect(second.normalizer.produced).toBe(first.normalizer.produced);
  });

  it('closes the bus when the stages cannot start, and rethrows the reason', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    // The store directory is a path below a plain file: the store writer cannot create it.
    writeFileSync(join(store.dir, 'not-a-dir'), '');
    const config = parseStoreConfig({ ...store.config, dataDir: join(store.dir, 'not-a-dir', 'store') });
    const session = await openPipelineSession({ logger }, { bus: embedded, store: config, processors });
    await expect(session.start()).rejects.toThrow(/ENOTDIR|not a directory/i);
    await expect(
      session.bus.produce([{ topic: 'norm.trade', key: 'k', value: new Uint8Array(1) }]),
    ).rejects.toThrow(BusClosedError);
    await session.close(); // idempotent after a failed start
  });

  it('refuses to start twice', async () => {
    const store = tempStore();
    cleanups.push(store.cleanup);
    mkdirSync(store.dir, { recursive: true });
    const session = await openPipelineSession({ logger }, { bus: embedded, store: store.config, processors });
    try {
      await session.start();
      await expect(session.start()).rejects.toThrow(/already/);
    } finally {
      await session.close();
    }
  });
});
