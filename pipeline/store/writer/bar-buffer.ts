/**
 * Buffered bars per partition, one per open time: a later revision replaces an earlier one
 * already in the buffer (equal revisions: the later write wins). Every bar carries a `version`
 * (the writer's monotonic µs stamp) so readers and compaction apply the same rule across files.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ScannedDecimal } from '../../../core/decimal/index.ts';
import { InvalidInputError } from '../../../core/errors.ts';
import { nextBucket, parsePeriod } from '../../../core/periods/index.ts';
import { checkColumnDecimal } from '../decimal.ts';
import { barsDataset, checkName, dateOfUs } from '../layout.ts';
import type { BarRow } from '../types.ts';
import { type DecimalColumn, decimalColumn, pushDecimal } from './decimal-stage.ts';

/** Decimal columns of a bar, in stage order. */
export const BAR_DECIMALS = [
  'open',
  'high',
  'low',
  'close',
  'volume',
  'taker_buy_volume',
  'maker_volume',
  'quote_volume',
  'taker_buy_quote_volume',
] as const;

/** Non-decimal stage columns of a bar, in stage order (decimals come between close time and trade count). */
export const BAR_PLAIN_COLUMNS = [
  'open_time_us',
  'close_time_us',
  'trade_count',
  'revision',
  'final',
  'first_seq',
  'last_seq',
  'version',
] as const;

interface Pending {
  readonly row: BarRow;
  readonly version: number;
}

/** One partition's bars, laid out as stage columns. */
export interface BarGroup {
  readonly dataset: string;
  readonly venue: string;
  readonly symbol: string;
  readonly date: string;
  /** Values of BAR_PLAIN_COLUMNS, in order. */
  readonly cols: DuckDBValue[][];
  /** Values of BAR_DECIMALS, in order. */
  readonly decimals: DecimalColumn[];
  readonly minTimeUs: number;
  readonly maxTimeUs: number;
  readonly bars: Map<number, Pending>;
}

function opt(s: string | undefined): string | null {
  return s === undefined || s === '' ? null : s;
}

/** Throws InvalidInputError naming the field when the store cannot hold `r` (what appendBars checks first). */
export function checkBarRow(r: BarRow): void {
  checkName('venue', r.venue);
  checkName('symbol', r.symbol);
  parsePeriod(r.period);
  if (!Number.isSafeInteger(r.openTimeUs) || r.openTimeUs <= 0) {
    throw new InvalidInputError(
      'openTimeUs',
      `${r.openTimeUs} is not a positive integer (epoch microseconds)`,
    );
  }
  const scratch = { intDigits: 0, fracDigits: 0 };
  for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) checkColumnDecimal(f, r[f], scratch);
  for (const f of ['takerBuyVolume', 'makerVolume', 'quoteVolume', 'takerBuyQuoteVolume'] as const) {
    const v = opt(r[f]);
    if (v !== null) checkColumnDecimal(f, v, scratch);
  }
  for (const f of ['tradeCount', 'revision', 'firstSeq', 'lastSeq'] as const) {
    const v = r[f];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) {
      throw new InvalidInputError(f, `${v} is not a non-negative integer`);
    }
  }
}

/** Bars waiting for the next flush. */
export class BarBuffer {
  private parts = new Map<
    string,
    { dataset: string; venue: string; symbol: string; date: string; bars: Map<number, Pending> }
  >();
  private lastVersion = 0;
  rows = 0;

  /** Validates all rows first (nothing of a bad call is kept), then buffers them. */
  add(rows: readonly BarRow[]): void {
    for (let i = 0; i < rows.length; i++) {
      try {
        checkBarRow(rows[i]!);
      } catch (err) {
        if (err instanceof InvalidInputError) {
          throw new InvalidInputError(`bars[${i}].${err.field}`, err.message.slice(err.field.length + 2));
        }
        throw err;
      }
    }
    for (const r of rows) {
      const dataset = barsDataset(r.period);
      const date = dateOfUs(r.openTimeUs);
      const key = `${dataset}|${r.venue}|${r.symbol}|${date}`;
      let p = this.parts.get(key);
      if (p === undefined) {
        p = { dataset, venue: r.venue, symbol: r.symbol, date, bars: new Map() };
        this.parts.set(key, p);
      }
      const version = Math.max(Date.now() * 1000, this.lastVersion + 1);
      this.lastVersion = version;
      const prev = p.bars.get(r.openTimeUs);
      if (prev === undefined) this.rows++;
      if (prev === undefined || (r.revision ?? 0) >= (prev.row.revision ?? 0)) {
        p.bars.set(r.openTimeUs, { row: r, version });
      }
    }
  }

  /** Takes everything buffered as stage-ready groups. */
  take(): BarGroup[] {
    const out: BarGroup[] = [];
    for (const p of this.parts.values()) out.push(toGroup(p.dataset, p.venue, p.symbol, p.date, p.bars));
    this.parts = new Map();
    this.rows = 0;
    return out;
  }

  /** Puts groups back after a failed flush; bars buffered since win over them. */
  restore(groups: readonly BarGroup[]): void {
    for (const g of groups) {
      const key = `${g.dataset}|${g.venue}|${g.symbol}|${g.date}`;
      const p = this.parts.get(key);
      if (p === undefined) {
        this.parts.set(key, {
          dataset: g.dataset,
          venue: g.venue,
          symbol: g.symbol,
          date: g.date,
          bars: g.bars,
        });
        this.rows += g.bars.size;
        continue;
      }
      for (const [t, b] of g.bars) {
        if (!p.bars.has(t)) {
          p.bars.set(t, b);
          this.rows++;
        }
      }
    }
  }
}

function toGroup(
  dataset: string,
  venue: string,
  symbol: string,
  date: string,
  bars: Map<number, Pending>,
): BarGroup {
  const cols: DuckDBValue[][] = BAR_PLAIN_COLUMNS.map(() => []);
  const decimalCols: DecimalColumn[] = BAR_DECIMALS.map(() => decimalColumn());
  const scratch: ScannedDecimal = { digits: 0, frac: 0 };
  let minTimeUs = Number.POSITIVE_INFINITY;
  let maxTimeUs = Number.NEGATIVE_INFINITY;
  const period = parsePeriod(dataset.slice('bars_'.length));
  for (const { row: r, version } of bars.values()) {
    const decimals = [
      r.open,
      r.high,
      r.low,
      r.close,
      r.volume,
      opt(r.takerBuyVolume),
      opt(r.makerVolume),
      opt(r.quoteVolume),
      opt(r.takerBuyQuoteVolume),
    ];
    cols[0]!.push(r.openTimeUs);
    cols[1]!.push(r.closeTimeUs ?? nextBucket(period, r.openTimeUs));
    for (let k = 0; k < decimals.length; k++) {
      pushDecimal(BAR_DECIMALS[k]!, decimalCols[k]!, decimals[k] ?? null, scratch);
    }
    cols[2]!.push(r.tradeCount ?? 0);
    cols[3]!.push(r.revision ?? 0);
    cols[4]!.push(r.final ?? false);
    cols[5]!.push(r.firstSeq ?? 0);
    cols[6]!.push(r.lastSeq ?? 0);
    cols[7]!.push(version);
    if (r.openTimeUs < minTimeUs) minTimeUs = r.openTimeUs;
    if (r.openTimeUs > maxTimeUs) maxTimeUs = r.openTimeUs;
  }
  return { dataset, venue, symbol, date, cols, decimals: decimalCols, minTimeUs, maxTimeUs, bars };
}
