/**
 * Feeds a recorded file into the pipeline, as a venue would:
 * - `binance-ws`: websocket recordings (`<recv_ns> <json>` lines) go through the Binance raw
 *   ingest, exact bytes kept on `raw.<venue>.<stream>`, then the normalizer like live frames;
 * - `binance-trades-csv` / `binance-aggtrades-csv`: data.binance.vision CSV rows are venue REST
 *   records in another container, so they go through the same REST normalizers (same event ids
 *   as the live path) straight to `norm.trade`;
 * - `binance-klines-csv`: kline rows become final venue bars on `norm.kline`, which the store
 *   sink keeps as stored bars of that period.
 */
import { basename } from 'node:path';
import { InvalidInputError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Bus, BusRecord } from '../bus/types.ts';
import {
  createBinanceIngest,
  restAggTradesToRecords,
  restKlinesToRecords,
  restTradesToRecords,
} from '../venues/binance/index.ts';
import type { ReplayFormat } from './replay-formats.ts';

export { guessReplayFormat, REPLAY_FORMATS, type ReplayFormat } from './replay-formats.ts';

import {
  readAggTradesCsvBatches,
  readKlinesCsvBatches,
  readRecordingAsRawFrames,
  readTradesCsvBatches,
} from '../venues/replay/index.ts';
import type { RawFrame } from '../venues/types.ts';

export interface ReplayFileOptions {
  readonly venue: string;
  readonly format: ReplayFormat;
  /** Venue symbol; CSV files do not name it inside, so it comes from here or the file name. */
  readonly symbol?: string;
  /** Kline period of a klines CSV (default: from the file name, e.g. BTCUSDT-1m-2024-08.csv). */
  readonly period?: string;
  /** Called with the count of records sent so far. */
  readonly onProgress?: (sent: number) => void;
}

/** What a replay sent. */
export interface ReplayReport {
  readonly records: number;
  readonly rejected: number;
  /**
   * The latest receive time of a websocket recording's frames, epoch µs (0 for other formats).
   * Once the pipeline has taken everything, a clock tick a reorder window past it (clock-ticker's
   * produceTick) releases the trades the sequencer still holds after a gap (a refused frame).
   */
  readonly lastTimeUs?: number;
}

/** The symbol named by a data.binance.vision-style file name (`BTCUSDT-trades-…`, `binance-spot-BTCUSDT-…`). */
export function symbolFromFileName(path: string): string | undefined {
  const match = /(?:^|[-_])([A-Z0-9]{5,20})-(?:trades|aggTrades|\d+[smhdw]|1mo)-/.exec(basename(path));
  return match?.[1];
}

function requireSymbol(path: string, symbol: string | undefined): string {
  const found = symbol?.toUpperCase() ?? symbolFromFileName(path);
  if (!found) {
    throw new InvalidInputError(
      '--symbol',
      `the file name ${basename(path)} does not name a symbol; pass --symbol, e.g. BTCUSDT`,
    );
  }
  return found;
}

const EVENT_TIME = Buffer.from('"E":');

/** The latest venue event time (`"E":<ms>`) among `frames`, epoch µs (0 when none says). */
function latestEventUs(frames: readonly RawFrame[]): number {
  let latest = 0;
  for (const f of frames) {
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data);
    const at = data.indexOf(EVENT_TIME);
    if (at < 0) continue;
    let ms = 0;
    for (let i = at + EVENT_TIME.length; i < data.length && data[i]! >= 48 && data[i]! <= 57; i++)
      ms = ms * 10 + (data[i]! - 48);
    if (ms * 1000 > latest) latest = ms * 1000;
  }
  return latest;
}

/** Sends one recorded file into the pipeline's input topics and resolves when all of it is on the bus. */
export async function replayFile(
  deps: { bus: Bus; logger: Logger },
  path: string,
  options: ReplayFileOptions,
): Promise<ReplayReport> {
  const { bus, logger } = deps;
  const nowUs = () => Date.now() * 1000;
  let records = 0;
  let rejected = 0;
  const send = async (out: BusRecord[], failures: readonly unknown[]) => {
    rejected += failures.length;
    if (out.length > 0) await bus.produce(out);
    records += out.length;
    options.onProgress?.(records);
  };

  switch (options.format) {
    case 'binance-ws': {
      const ingest = createBinanceIngest(
        { bus, logger },
        { venue: options.venue, batchSize: 2000, lingerMs: 20 },
      );
      let lastUs = 0;
      let last: readonly RawFrame[] = [];
      for await (const frames of readRecordingAsRawFrames([path])) {
        last = frames;
        for (const frame of frames) {
          ingest.push(frame);
          if (frame.receivedAtUs > lastUs) lastUs = frame.receivedAtUs;
        }
        await ingest.flush();
        records = ingest.stats().produced;
        options.onProgress?.(records);
      }
      await ingest.close();
      // The venue's clock may run ahead of the recorder's: the end is the later of the two.
      return {
        records: ingest.stats().produced,
        rejected: 0,
        lastTimeUs: Math.max(lastUs, latestEventUs(last)),
      };
    }
    case 'binance-trades-csv': {
      const symbol = requireSymbol(path, options.symbol);
      for await (const rows of readTradesCsvBatches(path)) {
        const { records: out, failures } = restTradesToRecords(
          { venue: options.venue, symbol, ingestedAtUs: nowUs() },
          rows.map((t) => ({
            id: t.id,
            price: t.price,
            qty: t.qty,
            quoteQty: t.quoteQty,
            time: Math.floor(t.timeUs / 1000),
            isBuyerMaker: t.isBuyerMaker,
            ...(t.isBestMatch === null ? {} : { isBestMatch: t.isBestMatch }),
          })),
        );
        await send(out, failures);
      }
      break;
    }
    case 'binance-aggtrades-csv': {
      const symbol = requireSymbol(path, options.symbol);
      for await (const rows of readAggTradesCsvBatches(path)) {
        const { records: out, failures } = restAggTradesToRecords(
          { venue: options.venue, symbol, ingestedAtUs: nowUs() },
          rows.map((t) => ({
            a: t.aggId,
            p: t.price,
            q: t.qty,
            f: t.firstTradeId,
            l: t.lastTradeId,
            T: Math.floor(t.timeUs / 1000),
            m: t.isBuyerMaker,
            ...(t.isBestMatch === null ? {} : { M: t.isBestMatch }),
          })),
        );
        await send(out, failures);
      }
      break;
    }
    case 'binance-klines-csv': {
      const symbol = requireSymbol(path, options.symbol);
      const interval = options.period ?? /-(1s|\d+[mhdw]|1mo)-/.exec(basename(path))?.[1];
      if (!interval)
        throw new InvalidInputError(
          '--period',
          `the file name ${basename(path)} does not name a kline interval; pass --period, e.g. 1m`,
        );
      for await (const rows of readKlinesCsvBatches(path)) {
        const { records: out, failures } = restKlinesToRecords(
          // Recorded klines are history: every one is final.
          { venue: options.venue, symbol, interval, ingestedAtUs: nowUs(), asOfMs: Number.MAX_SAFE_INTEGER },
          rows.map((k) => [
            Math.floor(k.openTimeUs / 1000),
            k.open,
            k.high,
            k.low,
            k.close,
            k.volume,
            Math.floor(k.closeTimeUs / 1000),
            k.quoteVolume,
            k.trades,
            k.takerBuyBaseVolume,
            k.takerBuyQuoteVolume,
            '0',
          ]),
        );
        await send(out, failures);
      }
      break;
    }
  }
  if (rejected > 0) logger.warn({ rejected, path }, 'replay: records the normalizer rejected');
  return { records, rejected };
}
