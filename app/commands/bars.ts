import { InvalidInputError } from '../../core/errors.ts';
import { PERIODS } from '../../core/periods/index.ts';
import { createStoreReader, type StoredBar } from '../../pipeline/store/index.ts';
import {
  type CommonOptions,
  loadContext,
  parseChoiceFlag,
  parseCountFlag,
  parseTimeFlag,
  writeCsv,
} from './context.ts';

export interface BarsOptions extends CommonOptions {
  readonly venue: string;
  readonly symbol: string;
  readonly period: string;
  readonly from?: string;
  readonly to?: string;
  readonly limit?: string;
  readonly format: string;
}

/** CSV columns of `quantforge bars`; open_time in epoch ms. */
export const BARS_CSV_HEADER = [
  'open_time',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'taker_buy_volume',
  'trade_count',
  'quote_volume',
] as const;

function toCsvRow(b: StoredBar): (string | number)[] {
  return [
    b.openTimeUs / 1000,
    b.open,
    b.high,
    b.low,
    b.close,
    b.volume,
    b.takerBuyVolume,
    b.tradeCount,
    b.quoteVolume,
  ];
}

/** `quantforge bars`: bars of a stored series for any listed period, as CSV or JSON. */
export async function runBarsCommand(options: BarsOptions): Promise<void> {
  const period = parseChoiceFlag('--period', options.period, PERIODS);
  const format = parseChoiceFlag('--format', options.format, ['csv', 'json'] as const);
  const fromUs = parseTimeFlag('--from', options.from);
  const toUs = parseTimeFlag('--to', options.to);
  if (fromUs !== undefined && toUs !== undefined && toUs <= fromUs) {
    throw new InvalidInputError('--to', `must be after --from (${options.from})`);
  }
  const limit = parseCountFlag('--limit', options.limit, 10_000_000);
  const ctx = loadContext(options, 'bars');
  const reader = await createStoreReader({ logger: ctx.logger }, ctx.store);
  try {
    const venue = options.venue.toUpperCase();
    const symbol = options.symbol.toUpperCase();
    const bars = await reader.getBars({ venue, symbol, period, fromUs, toUs, limit });
    if (bars.length === 0) {
      const known = reader.describeSeries().map((s) => `${s.venue}:${s.symbol}`);
      process.stderr.write(
        `no ${period} bars for ${venue}:${symbol} in that range; stored series: ${[...new Set(known)].join(', ') || 'none'}\n`,
      );
    }
    if (format === 'json') process.stdout.write(`${JSON.stringify(bars)}\n`);
    else writeCsv(BARS_CSV_HEADER, bars.map(toCsvRow));
  } finally {
    reader.close();
  }
}
