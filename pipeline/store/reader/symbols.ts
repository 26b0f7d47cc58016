/** The symbol registry as read back: the latest upsert of each (exchange, venue symbol). */
import { SYMBOLS_DATASET } from '../layout.ts';
import type { SymbolRecord } from '../types.ts';
import { filePaths, type ReaderContext, withRetry } from './context.ts';

const SQL = `SELECT exchange_id, market_id, venue_symbol, market_type::INTEGER, description, columns,
  base_asset, quote_asset, earliest_time_us::DOUBLE, tick_size, lot_size, supported_periods, status, contract_size
  FROM read_parquet($files)
  QUALIFY row_number() OVER (PARTITION BY exchange_id, venue_symbol ORDER BY updated_us DESC) = 1
  ORDER BY exchange_id, venue_symbol`;

/** Caches the registry per catalog version (it changes rarely and is read often). */
export function createSymbolCache(ctx: ReaderContext): (venue?: string) => Promise<SymbolRecord[]> {
  let version = -1;
  let rows: SymbolRecord[] = [];
  return function listSymbols(venue) {
    return withRetry(async () => {
      const snap = ctx.catalog.current();
      if (snap.version !== version) {
        const files = [...snap.series.keys()]
          .filter((k) => k.startsWith(`${SYMBOLS_DATASET}|`))
          .flatMap((k) => ctx.catalog.files(snap, k));
        rows = files.length === 0 ? [] : await load(ctx, filePaths(ctx, files));
        version = snap.version;
      }
      return venue === undefined ? rows : rows.filter((r) => r.exchangeId === venue);
    });
  };
}

async function load(ctx: ReaderContext, files: string[]): Promise<SymbolRecord[]> {
  const c = await ctx.runner.run(SQL, { files });
  const list = (v: unknown): string[] =>
    v !== null && typeof v === 'object' && 'items' in v ? (v.items as string[]) : [];
  return (c[0] ?? []).map((_, i) => ({
    exchangeId: c[0]![i] as string,
    marketId: c[1]![i] as string,
    venueSymbol: c[2]![i] as string,
    marketType: c[3]![i] as number,
    description: c[4]![i] as string,
    columns: list(c[5]![i]),
    baseAsset: c[6]![i] as string,
    quoteAsset: c[7]![i] as string,
    earliestTimeUs: c[8]![i] as number,
    tickSize: c[9]![i] as string,
    lotSize: c[10]![i] as string,
    supportedPeriods: list(c[11]![i]),
    status: c[12]![i] as string,
    contractSize: c[13]![i] as string,
  }));
}
