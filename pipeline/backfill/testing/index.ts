/**
 * Test support: a store partly filled by `ingest` from the recorded BTCUSDT spot trades, the
 * venue simulator serving the whole file over Binance REST, and a pipeline + backfill service
 * run like `quantforge backfill` (embedded bus, processor state kept in the data dir).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createLogger } from '../../../core/logger.ts';
import { recordedData } from '../../../test/support/index.ts';
import { createEmbeddedBus } from '../../bus/index.ts';
import { ensureTopics, loadTopics } from '../../bus/topics.ts';
import type { Bus } from '../../bus/types.ts';
import { type ProcessorsConfig, processorsConfigSchema } from '../../processors/index.ts';
import { startPipeline } from '../../runtime/pipeline.ts';
import { replayFile } from '../../runtime/replay-source.ts';
import { loadStateTopics, saveStateTopics } from '../../runtime/state-files.ts';
import {
  createStoreReader,
  parseStoreConfig,
  type StoreConfig,
  type StoreReader,
} from '../../store/index.ts';
import {
  type BinanceMarketApi,
  createBinanceHttpClient,
  createBinanceMarketApi,
} from '../../venues/binance/index.ts';
import { createVenueSimulator, type VenueSimulatorConfigInput } from '../../venues/simulator/index.ts';
import type { BackfillConfigInput } from '../config.ts';
import { type BackfillService, type BackfillServiceDeps, createBackfillService } from '../service.ts';
import { settleOnPipeline } from '../settle.ts';

export const logger = createLogger({ name: 'backfill-test', level: 'silent' });
export const TRADES_CSV = recordedData(
  'trades',
  'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz',
);
export const EXCHANGE_INFO = recordedData('rest', 'binance-spot-exchange-info-20211022.json');
/** The recording spans 2024-08-08T23:54:15Z .. 2024-08-09T00:05:05Z. */
export const FROM_US = Date.parse('2024-08-08T23:54:00Z') * 1000;
export const TO_US = Date.parse('2024-08-09T00:06:00Z') * 1000;
export const processors = processorsConfigSchema.parse({});

const tempDirs: string[] = [];

/** Removes the directories `tempStore` and `truncatedTradesCsv` made. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh store directory. */
export function tempStore(): StoreConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'qf-backfill-'));
  tempDirs.push(dir);
  return parseStoreConfig({ dataDir: path.join(dir, 'data') });
}

/** Writes the first `rows` rows of the recorded trades CSV (a derived test input, in tmp). */
export function truncatedTradesCsv(rows: number): string {
  const lines = gunzipSync(readFileSync(TRADES_CSV)).toString('utf8').split('\n').filter(Boolean);
  const dir = mkdtempSync(path.join(tmpdir(), 'qf-backfill-csv-'));
  tempDirs.push(dir);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'BTCUSDT-trades-2024-08-08.csv');
  writeFileSync(file, `${lines.slice(0, rows).join('\n')}\n`);
  return file;
}

/** Runs `quantforge ingest`'s steps for a trades CSV into `store`. */
export async function ingestCsv(
  store: StoreConfig,
  file: string,
  config: ProcessorsConfig = processors,
): Promise<void> {
  const bus = createEmbeddedBus({ logger });
  await ensureTopics(bus, loadTopics());
  await loadStateTopics(bus, store.dataDir);
  const pipeline = await startPipeline({ bus, logger }, { store, processors: config, venues: ['BINANCE'] });
  await replayFile({ bus, logger }, file, {
    venue: 'BINANCE',
    format: 'binance-trades-csv',
    symbol: 'BTCUSDT',
  });
  await pipeline.settled({ quietMs: 500 });
  await saveStateTopics(bus, store.dataDir);
  await pipeline.stop();
  await bus.close();
}

/** Starts the simulator over the whole recorded trades file. */
export async function startSimulator(extra: Partial<VenueSimulatorConfigInput> = {}, now?: () => number) {
  const sim = createVenueSimulator(now ? { now } : {}, {
    exchangeInfo: EXCHANGE_INFO,
    csv: [{ symbol: 'BTCUSDT', kind: 'trades', path: TRADES_CSV }],
    ...extra,
  });
  await sim.start();
  return sim;
}

/** A Binance spot market API on `baseUrl` (the simulator), with test-friendly limits. */
export function simulatorMarket(
  baseUrl: string,
  deps: { now?: () => number; sleep?: (ms: number) => Promise<void>; fetch?: typeof fetch } = {},
): BinanceMarketApi {
  const http = createBinanceHttpClient(deps, {
    baseUrl,
    timeoutMs: 10_000,
    maxRetries: 5,
    maxWaitMs: 120_000,
    weightLimitPerMinute: 6000,
  });
  return createBinanceMarketApi(http, 'spot');
}

/** A pipeline + backfill service on one embedded bus, as the CLI runs it. */
export async function withBackfill<T>(
  store: StoreConfig,
  venues: BackfillServiceDeps['venues'],
  fn: (service: BackfillService, reader: StoreReader, bus: Bus) => Promise<T>,
  options: {
    config?: BackfillConfigInput;
    clock?: () => number;
    onProgress?: BackfillServiceDeps['onProgress'];
    processors?: ProcessorsConfig;
    ccxt?: BackfillServiceDeps['ccxt'];
  } = {},
): Promise<T> {
  const bus = createEmbeddedBus({ logger });
  await ensureTopics(bus, loadTopics());
  await loadStateTopics(bus, store.dataDir);
  const config = options.processors ?? processors;
  const pipeline = await startPipeline({ bus, logger }, { store, processors: config, venues: ['BINANCE'] });
  const reader = await createStoreReader({ logger }, store);
  const service = createBackfillService(
    {
      bus,
      logger,
      venues,
      reader,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.ccxt ? { ccxt: options.ccxt } : {}),
      settle: settleOnPipeline(pipeline, { quietMs: 500 }),
    },
    { dedupWindowIds: config.dedup.windowIds, ...options.config },
  );
  await service.start();
  try {
    return await fn(service, reader, bus);
  } finally {
    await service.stop();
    await saveStateTopics(bus, store.dataDir);
    await pipeline.stop();
    reader.close();
    await bus.close();
  }
}
