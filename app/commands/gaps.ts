import { InvalidInputError } from '../../core/errors.ts';
import { PERIODS } from '../../core/periods/index.ts';
import { barsDataset, createStoreReader, TRADES_DATASET } from '../../pipeline/store/index.ts';
import {
  type CommonOptions,
  loadContext,
  parseChoiceFlag,
  parseCountFlag,
  parseTimeFlag,
} from './context.ts';

export interface GapsOptions extends CommonOptions {
  readonly venue: string;
  readonly symbol: string;
  readonly period: string;
  readonly from?: string;
  readonly to?: string;
  readonly maxGaps: string;
  readonly format: string;
}

const iso = (us: number): string => new Date(us / 1000).toISOString();

/** `quantforge gaps`: coverage of a series: missing bars and venue trade-id holes. */
export async function runGapsCommand(options: GapsOptions): Promise<void> {
  const period = parseChoiceFlag('--period', options.period, PERIODS);
  const format = parseChoiceFlag('--format', options.format, ['text', 'json'] as const);
  const maxGaps = parseCountFlag('--max-gaps', options.maxGaps, 10_000) ?? 20;
  const ctx = loadContext(options, 'gaps');
  const reader = await createStoreReader({ logger: ctx.logger }, ctx.store);
  try {
    const ref = { venue: options.venue.toUpperCase(), symbol: options.symbol.toUpperCase() };
    const stored = reader
      .describeSeries(ref)
      .filter((s) => s.dataset === barsDataset('1m') || s.dataset === TRADES_DATASET);
    if (stored.length === 0) {
      const known = [...new Set(reader.describeSeries().map((s) => `${s.venue}:${s.symbol}`))];
      throw new InvalidInputError(
        '--symbol',
        `nothing stored for ${ref.venue}:${ref.symbol}; stored series: ${known.join(', ') || 'none'}`,
      );
    }
    const fromUs = parseTimeFlag('--from', options.from) ?? Math.min(...stored.map((s) => s.minTimeUs));
    const toUs = parseTimeFlag('--to', options.to) ?? Math.max(...stored.map((s) => s.maxTimeUs)) + 1;
    const bars = await reader.barCoverage({ ...ref, fromUs, toUs, period, maxGaps });
    const trades = await reader.tradeGaps({ ...ref, fromUs, toUs, maxGaps });
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ bars, trades })}\n`);
      return;
    }
    const lines = [
      `${ref.venue}:${ref.symbol} ${iso(fromUs)} .. ${iso(toUs)}`,
      `${period} bars: ${bars.present} of ${bars.expected} present, ${bars.missing} missing`,
      ...bars.gaps.map((g) => `  missing ${g.missing} bar(s) ${iso(g.fromUs)} .. ${iso(g.toUs)}`),
      `trades: ${trades.rows} rows, seq ${trades.firstSeq ?? '-'}..${trades.lastSeq ?? '-'}, ${trades.missingTradeIds} venue trade id(s) missing, ${trades.seqHoles} seq hole(s)`,
      ...trades.holes.map(
        (h) =>
          `  ids ${h.afterId + 1}..${h.beforeId - 1} missing (${iso(h.afterTimeUs)} .. ${iso(h.beforeTimeUs)})`,
      ),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    reader.close();
  }
}
