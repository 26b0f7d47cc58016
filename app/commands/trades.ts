import { InvalidInputError } from '../../core/errors.ts';
import { createStoreReader, type StoredTrade } from '../../pipeline/store/index.ts';
import {
  type CommonOptions,
  loadContext,
  parseChoiceFlag,
  parseCountFlag,
  parseTimeFlag,
  writeCsv,
} from './context.ts';

export interface TradesOptions extends CommonOptions {
  readonly venue: string;
  readonly symbol: string;
  readonly from?: string;
  readonly to?: string;
  readonly fromSeq?: string;
  readonly toSeq?: string;
  readonly limit: string;
  readonly format: string;
}

const SIDES = ['unknown', 'buy', 'sell'] as const;

function toCsvRow(t: StoredTrade): (string | number)[] {
  return [
    t.seq,
    t.timeUs / 1000,
    t.tradeId,
    t.price,
    t.quantity,
    t.quoteQuantity,
    SIDES[t.aggressor] ?? 'unknown',
  ];
}

/** `quantforge trades`: stored trades by time range or seq range. */
export async function runTradesCommand(options: TradesOptions): Promise<void> {
  const format = parseChoiceFlag('--format', options.format, ['csv', 'json'] as const);
  const bySeq = options.fromSeq !== undefined || options.toSeq !== undefined;
  if (bySeq && (options.from !== undefined || options.to !== undefined)) {
    throw new InvalidInputError(
      '--from-seq',
      'give a time range (--from/--to) or a seq range (--from-seq/--to-seq), not both',
    );
  }
  const limit = parseCountFlag('--limit', options.limit, 10_000_000);
  const query = bySeq
    ? {
        fromSeq: parseCountFlag('--from-seq', options.fromSeq, Number.MAX_SAFE_INTEGER) ?? 1,
        toSeq: parseCountFlag('--to-seq', options.toSeq, Number.MAX_SAFE_INTEGER),
      }
    : { fromUs: parseTimeFlag('--from', options.from), toUs: parseTimeFlag('--to', options.to) };
  const ctx = loadContext(options, 'trades');
  const reader = await createStoreReader({ logger: ctx.logger }, ctx.store);
  try {
    const trades = await reader.getTrades({
      venue: options.venue.toUpperCase(),
      symbol: options.symbol.toUpperCase(),
      ...query,
      limit,
    });
    if (format === 'json') process.stdout.write(`${JSON.stringify(trades)}\n`);
    else
      writeCsv(
        ['seq', 'time', 'trade_id', 'price', 'quantity', 'quote_quantity', 'side'],
        trades.map(toCsvRow),
      );
  } finally {
    reader.close();
  }
}
