/**
 * Where `quantforge start` gets market data: live Binance public streams (no key needed) with
 * recent history backfilled over REST; or, when Binance cannot be reached, the recorded real
 * data of `../shared/data` served by the venue simulator over Binance's own protocol, so the
 * same adapter and pipeline run either way. It says plainly which one runs and why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.ts';
import type { SymbolInfoInit } from '../../proto/index.ts';
import type { Bus } from '../bus/types.ts';
import {
  type BinanceConfig,
  type BinanceVenue,
  createBinanceVenue,
  restKlinesToRecords,
  VENUE_IDS,
} from '../venues/binance/index.ts';
import { createVenueSimulator, type VenueSimulator } from '../venues/simulator/index.ts';

export interface MarketSourceDeps {
  readonly bus: Bus;
  readonly logger: Logger;
}

export interface MarketSourceOptions {
  /** auto: live, replaying recorded data when Binance cannot be reached; live; replay. */
  readonly source: 'auto' | 'live' | 'replay';
  readonly binance: readonly BinanceConfig[];
  readonly sharedDataDir: string;
  /** Replay pace as a factor of venue time (default 1: as recorded). */
  readonly replaySpeed?: number;
  /** How long the reachability probe may take (ms). */
  readonly probeTimeoutMs?: number;
}

/** The running source, and lines describing it for the start banner. */
export interface MarketSource {
  readonly mode: 'live' | 'replay' | 'none';
  readonly description: readonly string[];
  /** Venue ids whose raw topics carry data. */
  readonly venues: readonly string[];
  /** Whether bars should close by wall-clock time (live) or by event time only (replay). */
  readonly wallClock: boolean;
  /** Symbol records of the venues, for the store's registry. */
  readonly symbols: readonly SymbolInfoInit[];
  stop(): Promise<void>;
}

const SPOT_RECORDINGS = [
  'binance-ws-recorded/spot/btcusdt_20240808.gz',
  'binance-ws-recorded/spot/btcusdt_20240809.gz',
];
const EXCHANGE_INFO = 'rest/binance-spot-exchangeInfo-full-20211012.json';
const HISTORY_MINUTES = 1000;

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Registers symbols and backfills the last HISTORY_MINUTES 1m klines of each, through norm.kline. */
async function seedFromRest(
  deps: MarketSourceDeps,
  venue: BinanceVenue,
  registry: SymbolInfoInit[],
): Promise<string> {
  const symbols = await venue.symbols();
  registry.push(...symbols);
  let bars = 0;
  const now = Date.now();
  for (const symbol of venue.config.symbols) {
    const klines = await venue.market.klines({
      symbol,
      interval: '1m',
      limit: HISTORY_MINUTES,
      endTime: now,
    });
    const { records } = restKlinesToRecords(
      { venue: venue.id, symbol, interval: '1m', ingestedAtUs: now * 1000, asOfMs: now },
      klines,
    );
    await deps.bus.produce(records);
    bars += records.length;
  }
  return `${symbols.length} symbol(s) registered, ${bars} recent 1m bars backfilled over REST`;
}

/** Starts live Binance, or the recorded-data replay, as `options.source` and reachability decide. */
export async function startMarketSource(
  deps: MarketSourceDeps,
  options: MarketSourceOptions,
): Promise<MarketSource> {
  const { logger } = deps;
  const probeMs = options.probeTimeoutMs ?? 5000;
  let liveError: string | undefined;
  if (options.source !== 'replay') {
    const venues: BinanceVenue[] = [];
    const registry: SymbolInfoInit[] = [];
    try {
      const lines: string[] = [];
      for (const config of options.binance) {
        const venue = createBinanceVenue({ bus: deps.bus, logger }, config);
        venues.push(venue);
        const seeded = await withTimeout(
          seedFromRest(deps, venue, registry),
          probeMs,
          `Binance ${config.market} REST`,
        );
        await withTimeout(venue.start(), probeMs, `Binance ${config.market} websocket`);
        lines.push(
          `live: Binance ${config.market} ${config.symbols.join(', ')} (${venue.streams.length} streams); ${seeded}`,
        );
      }
      return {
        mode: 'live',
        description: lines,
        venues: venues.map((v) => v.id),
        wallClock: true,
        symbols: registry,
        stop: async () => {
          for (const v of venues) await v.stop();
        },
      };
    } catch (error) {
      for (const v of venues) await v.stop().catch(() => undefined);
      liveError = error instanceof Error ? error.message : String(error);
      if (options.source === 'live') throw error;
      // The banner says so in one line; the stack is for whoever asks for debug logs.
      logger.debug({ err: error }, 'Binance cannot be reached; falling back to recorded data');
    }
  }

  const recordings = SPOT_RECORDINGS.map((f) => join(options.sharedDataDir, f));
  const why = liveError ? `Binance cannot be reached (${liveError}); ` : '';
  if (!recordings.every((f) => existsSync(f))) {
    return {
      mode: 'none',
      description: [
        `no market data: ${why}and no recorded data at ${options.sharedDataDir} (set venues.replay.sharedDataDir)`,
      ],
      venues: [],
      wallClock: false,
      symbols: [],
      stop: async () => undefined,
    };
  }
  const exchangeInfo = join(options.sharedDataDir, EXCHANGE_INFO);
  const speed = options.replaySpeed ?? 1;
  const simulator: VenueSimulator = createVenueSimulator(
    {},
    {
      wsRecordings: recordings,
      speed,
      loop: false,
      ...(existsSync(exchangeInfo) ? { exchangeInfo } : {}),
    },
  );
  await simulator.start();
  const venue = createBinanceVenue(
    { bus: deps.bus, logger },
    {
      market: 'spot',
      symbols: ['BTCUSDT'],
      streams: ['trade', 'bookTicker'],
      wsBaseUrl: simulator.wsUrl,
      restBaseUrl: simulator.restUrl,
    },
  );
  const symbols = await venue.symbols().catch(() => []);
  await venue.start();
  return {
    mode: 'replay',
    description: [
      `${why}replaying recorded real data: Binance spot BTCUSDT 2024-08-08 23:54 → 2024-08-09 00:05 UTC at ${speed === 1 ? 'venue pace' : `${speed}× venue pace`}`,
      `  from ${recordings.join(', ')}`,
      `  served by the venue simulator at ${simulator.wsUrl} (Binance protocol) to the same Binance adapter`,
    ],
    venues: [VENUE_IDS.spot],
    wallClock: false,
    symbols,
    stop: async () => {
      await venue.stop();
      await simulator.stop();
    },
  };
}
