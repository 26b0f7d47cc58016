/**
 * Any exchange through ccxt: symbol listing (markets -> SymbolInfo) and REST backfill of
 * bars (fetchOHLCV) and trades (fetchTrades), paginated, with ccxt's rate limiter on and
 * every API base URL configurable (tests point `binance` at the venue simulator).
 *
 * @example
 * const venue = createCcxtVenue({}, {
 *   exchange: 'binance',
 *   marketTypes: ['spot'],
 *   hostOverrides: { 'https://api.binance.com': sim.restUrl },
 * });
 * const symbols = await venue.listSymbols();
 * for await (const bars of venue.backfillBars('BTC/USDT', '1m', { sinceMs, untilMs })) store(bars);
 */
import type { Exchange } from 'ccxt';
import { InvalidInputError } from '../../../core/errors.ts';
import type { BarInit, SymbolInfoInit, TradeInit } from '../../../proto/index.ts';
import { type BackfillRange, fetchBarPages, fetchTradePages } from './backfill.ts';
import { type CcxtVenueConfigInput, ccxtVenueConfigSchema } from './config.ts';
import { callCcxt } from './errors.ts';
import { createCcxtExchange } from './exchange.ts';
import { toSymbolInfo } from './symbols.ts';

export type { BackfillRange } from './backfill.ts';
export { toBar, toTrade } from './backfill.ts';
export type { CcxtVenueConfig, CcxtVenueConfigInput } from './config.ts';
export { ccxtVenueConfigSchema } from './config.ts';
export { CcxtVenueError } from './errors.ts';
export { precisionToStep, toSymbolInfo } from './symbols.ts';

/** What the ccxt venue is handed. */
export interface CcxtVenueDeps {
  /** Wall clock in ms (default Date.now): the default end of a backfill, and bar finality. */
  readonly now?: () => number;
  readonly onWarning?: (message: string) => void;
}

/** A range whose end defaults to now. */
export interface OpenBackfillRange {
  readonly sinceMs: number;
  readonly untilMs?: number;
}

/** The ccxt venue handle. */
export interface CcxtVenue {
  /** The configured ccxt exchange (for calls this handle does not wrap). */
  readonly exchange: Exchange;
  /** Every market the exchange lists (of the configured types), as SymbolInfo. */
  listSymbols(): Promise<SymbolInfoInit[]>;
  /** Bars of `period` in the range, one array per page, oldest first. */
  backfillBars(symbol: string, period: string, range: OpenBackfillRange): AsyncGenerator<BarInit[]>;
  /**
   * The open time (epoch µs) of the symbol's first bar, asked as one `fetchOHLCV` from time
   * 0 (venues answer with their oldest bar); 0 when the venue returns nothing. Fills
   * SymbolInfo.earliest_time_us where markets do not carry it (one request per symbol).
   */
  earliestTime(symbol: string): Promise<number>;
  /** Trades in the range, one array per page, oldest first, no duplicates. */
  backfillTrades(symbol: string, range: OpenBackfillRange): AsyncGenerator<TradeInit[]>;
  close(): Promise<void>;
}

const WINDOWED_TRADES: Readonly<Record<string, number>> = { binance: 3_600_000, binanceusdm: 3_600_000 };

/** Builds the venue; config is checked here and throws naming the bad key. */
export function createCcxtVenue(deps: CcxtVenueDeps, config: CcxtVenueConfigInput): CcxtVenue {
  const parsed = ccxtVenueConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(`ccxt.${issue?.path.join('.') ?? ''}`, issue?.message ?? 'invalid');
  }
  const cfg = parsed.data;
  const exchange = createCcxtExchange(cfg);
  const venueId = cfg.venueId ?? cfg.exchange.toUpperCase();
  const now = deps.now ?? Date.now;
  const emptyWindowMs = cfg.emptyWindowMs ?? WINDOWED_TRADES[cfg.exchange];
  const paging = {
    pageLimit: cfg.pageLimit,
    now,
    ...(emptyWindowMs === undefined ? {} : { emptyWindowMs }),
    ...(deps.onWarning === undefined ? {} : { onWarning: deps.onWarning }),
  };

  const range = (r: OpenBackfillRange): BackfillRange => {
    const untilMs = r.untilMs ?? now();
    if (!Number.isFinite(r.sinceMs) || r.sinceMs < 0 || untilMs < r.sinceMs) {
      throw new InvalidInputError('range', `need 0 <= sinceMs <= untilMs, got ${r.sinceMs}..${untilMs}`);
    }
    return { sinceMs: r.sinceMs, untilMs };
  };
  const loadMarkets = () => callCcxt(exchange.id, 'loadMarkets', () => exchange.loadMarkets());
  const checkSymbol = async (symbol: string): Promise<void> => {
    const markets = await loadMarkets();
    if (markets[symbol] === undefined) {
      const sample = Object.keys(markets).slice(0, 5).join(', ');
      throw new InvalidInputError('symbol', `${cfg.exchange} has no market "${symbol}" (e.g. ${sample})`);
    }
  };

  return {
    exchange,
    async listSymbols() {
      const markets = await loadMarkets();
      return Object.values(markets).flatMap((m) =>
        m === undefined ? [] : [toSymbolInfo(m, exchange, venueId)],
      );
    },
    async *backfillBars(symbol, period, r) {
      const window = range(r);
      if (exchange.timeframes?.[period] === undefined) {
        const valid = Object.keys(exchange.timeframes ?? {}).join(', ');
        throw new InvalidInputError('period', `${cfg.exchange} has no period "${period}"; valid: ${valid}`);
      }
      await checkSymbol(symbol);
      yield* fetchBarPages(exchange, symbol, period, window, paging);
    },
    async earliestTime(symbol) {
      await checkSymbol(symbol);
      const periods = Object.keys(exchange.timeframes ?? {});
      const period = ['1d', '1h', '1m'].find((p) => periods.includes(p)) ?? periods[0];
      if (period === undefined) return 0;
      const rows = await callCcxt(exchange.id, `fetchOHLCV ${symbol} ${period}`, () =>
        exchange.fetchOHLCV(symbol, period, 0, 1),
      );
      const first = rows[0]?.[0];
      return typeof first === 'number' ? first * 1000 : 0;
    },
    async *backfillTrades(symbol, r) {
      const window = range(r);
      await checkSymbol(symbol);
      yield* fetchTradePages(exchange, symbol, window, paging);
    },
    async close() {
      await exchange.close();
    },
  };
}
