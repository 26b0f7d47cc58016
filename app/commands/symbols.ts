import { createStoreReader } from '../../pipeline/store/index.ts';
import { marketTypeName } from '../../proto/index.ts';
import { type CommonOptions, loadContext, parseChoiceFlag, writeCsv } from './context.ts';

export interface SymbolsOptions extends CommonOptions {
  readonly venue?: string;
  readonly format: string;
}

const iso = (us: number): string => (us > 0 ? new Date(us / 1000).toISOString() : '');

/** `quantforge symbols`: the symbol registry, with what the store holds of each series. */
export async function runSymbolsCommand(options: SymbolsOptions): Promise<void> {
  const format = parseChoiceFlag('--format', options.format, ['csv', 'json'] as const);
  const ctx = loadContext(options, 'symbols');
  const reader = await createStoreReader({ logger: ctx.logger }, ctx.store);
  try {
    const venue = options.venue?.toUpperCase();
    const symbols = await reader.listSymbols(venue);
    const series = reader.describeSeries(venue ? { venue } : {});
    if (format === 'json') {
      const named = symbols.map((s) => ({ ...s, marketType: marketTypeName(s.marketType) }));
      process.stdout.write(`${JSON.stringify({ symbols: named, series })}\n`);
      return;
    }
    writeCsv(
      ['venue', 'symbol', 'market_id', 'market_type', 'base', 'quote', 'tick_size', 'lot_size', 'status'],
      symbols.map((s) => [
        s.exchangeId,
        s.venueSymbol,
        s.marketId,
        marketTypeName(s.marketType),
        s.baseAsset,
        s.quoteAsset,
        s.tickSize,
        s.lotSize,
        s.status,
      ]),
    );
    process.stdout.write('\n');
    writeCsv(
      ['dataset', 'venue', 'symbol', 'rows', 'files', 'from', 'to', 'min_seq', 'max_seq'],
      series.map((s) => [
        s.dataset,
        s.venue,
        s.symbol,
        s.rows,
        s.files,
        iso(s.minTimeUs),
        iso(s.maxTimeUs),
        s.minSeq ?? '',
        s.maxSeq ?? '',
      ]),
    );
  } finally {
    reader.close();
  }
}
