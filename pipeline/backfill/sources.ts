/**
 * Where a job's history comes from: a Binance market (bars and trades, our own REST client
 * with weight tracking) or any exchange through ccxt (bars). Checks the request against what
 * the source offers and finds the symbol's earliest time.
 */
import { InvalidInputError } from '../../core/errors.ts';
import { isFixedPeriod, servedPeriods } from '../../core/periods/index.ts';
import type { StoreReader } from '../store/index.ts';
import { BinanceClientError, type BinanceMarketApi, KLINE_INTERVALS } from '../venues/binance/index.ts';
import type { CcxtVenue } from '../venues/ccxt/index.ts';
import { resolveCcxtMarket, runCcxtBarsJob } from './ccxt-bars.ts';
import { type BaseJobContext, type JobOutcome, runBarsJob, runTradesJob } from './jobs.ts';
import type { BackfillDataset } from './types.ts';

/** A job's source, resolved once when it is submitted. */
export type JobSource =
  | { readonly kind: 'binance'; readonly market: BinanceMarketApi }
  | { readonly kind: 'ccxt'; readonly ccxt: CcxtVenue; readonly unified: string };

/** The venues a service can fetch from, by venue id. */
export interface SourceVenues {
  readonly venues: Readonly<Record<string, BinanceMarketApi>>;
  readonly ccxt?: Readonly<Record<string, CcxtVenue>>;
}

/** Resolves venue + symbol + dataset + period to a source and the symbol we store under. */
export async function resolveSource(
  from: SourceVenues,
  venue: string,
  symbol: string,
  dataset: BackfillDataset,
  period: string,
): Promise<{ source: JobSource; symbol: string }> {
  const market = from.venues[venue];
  const ccxt = from.ccxt?.[venue];
  if (market !== undefined) {
    checkBackfillPeriod(period, KLINE_INTERVALS);
    const upper = symbol.toUpperCase();
    if (!/^[A-Z0-9_]{2,40}$/.test(upper)) {
      throw new InvalidInputError('symbol', `expected a venue symbol such as BTCUSDT (got "${symbol}")`);
    }
    return { source: { kind: 'binance', market }, symbol: upper };
  }
  if (ccxt !== undefined) {
    if (dataset !== 'bars') {
      throw new InvalidInputError(
        'dataset',
        `${venue} is a ccxt venue: only bars are backfilled there (trades need the live path's trade-id space)`,
      );
    }
    checkBackfillPeriod(period, Object.keys(ccxt.exchange.timeframes ?? {}));
    const ref = await resolveCcxtMarket(ccxt, symbol);
    return { source: { kind: 'ccxt', ccxt, unified: ref.unified }, symbol: ref.id };
  }
  const known = [...Object.keys(from.venues), ...Object.keys(from.ccxt ?? {})];
  throw new InvalidInputError(
    'venue',
    `no REST source configured for ${venue}; configured venues: ${known.join(', ') || 'none'}`,
  );
}

/**
 * Bars are backfilled in the fixed-width periods the venue serves (a calendar month has no
 * page arithmetic; the store answers `1M` from 1m bars).
 */
function checkBackfillPeriod(period: string, venueIntervals: Iterable<string>): void {
  const valid = servedPeriods(venueIntervals).filter(isFixedPeriod);
  if (!(valid as readonly string[]).includes(period)) {
    throw new InvalidInputError('period', `expected one of ${valid.join(', ')} (got "${period}")`);
  }
}

/**
 * The symbol's first data, epoch µs: SymbolInfo.earliest_time_us from the store's registry,
 * else the venue's first bar (Binance answers `klines?startTime=0&limit=1` with the listing
 * minute; ccxt venues likewise for fetchOHLCV since 0).
 */
export async function sourceEarliestUs(
  reader: StoreReader,
  venue: string,
  symbol: string,
  source: JobSource,
): Promise<number | undefined> {
  const known = (await reader.getSymbol(venue, symbol))?.earliestTimeUs;
  if (known !== undefined && known > 0) return known;
  if (source.kind === 'ccxt') {
    const first = await source.ccxt.earliestTime(source.unified);
    return first > 0 ? first : undefined;
  }
  const first = await source.market
    .klines({ symbol, interval: '1m', startTime: 0, limit: 1 })
    .catch((error: unknown) => {
      // -1121: Binance's "Invalid symbol."
      if (error instanceof BinanceClientError && error.code === -1121) {
        throw new InvalidInputError(
          'symbol',
          `${venue} does not list ${symbol} (the venue answered "Invalid symbol.")`,
          {
            cause: error,
          },
        );
      }
      throw error;
    });
  if (first.length === 0) {
    throw new InvalidInputError('symbol', `${venue} has no kline history for ${symbol}; is it listed there?`);
  }
  return first[0]![0] * 1000;
}

/** Runs a job of `dataset` on its source. */
export function runJob(
  ctx: BaseJobContext,
  source: JobSource,
  dataset: BackfillDataset,
): Promise<JobOutcome> {
  if (source.kind === 'ccxt') return runCcxtBarsJob({ ...ctx, ccxt: source.ccxt, unified: source.unified });
  const job = { ...ctx, market: source.market };
  return dataset === 'bars' ? runBarsJob(job) : runTradesJob(job);
}
