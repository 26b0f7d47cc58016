/**
 * Bars as a table (what get_bars shows and registers as `series://…`) and back, so a
 * reference from get_bars can feed compute_indicator and charts.
 */
import type { StoredBar } from '../../pipeline/store/index.ts';
import { invalidArgument } from './errors.ts';
import { isoOfUs } from './output.ts';
import type { SeriesEntry, Table } from './series-registry.ts';

/** Columns of a bars table. */
export const BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume', 'trades'] as const;

/** Bars as a table (time ISO, prices as exact decimal strings). */
export function barsToTable(bars: readonly StoredBar[]): Table {
  return {
    columns: BAR_COLUMNS,
    rows: bars.map((b) => [isoOfUs(b.openTimeUs), b.open, b.high, b.low, b.close, b.volume, b.tradeCount]),
  };
}

/** The bars of a registered bars table; throws naming `series` when it holds something else. */
export function barsFromSeries(entry: SeriesEntry): StoredBar[] {
  const cols = entry.table.columns;
  const idx = (name: string) => cols.indexOf(name);
  const need = ['time', 'open', 'high', 'low', 'close', 'volume'];
  const missing = need.filter((c) => idx(c) < 0);
  if (missing.length > 0) {
    invalidArgument(
      'series',
      `${entry.uri} is not a bars series (missing ${missing.join(', ')}); use one from get_bars`,
    );
  }
  const [t, o, h, l, c, v] = need.map(idx) as [number, number, number, number, number, number];
  return entry.table.rows.map((r) => {
    const openTimeUs = Date.parse(String(r[t])) * 1000;
    return {
      period: '',
      openTimeUs,
      closeTimeUs: openTimeUs,
      open: String(r[o]),
      high: String(r[h]),
      low: String(r[l]),
      close: String(r[c]),
      volume: String(r[v]),
      takerBuyVolume: '',
      makerVolume: '',
      tradeCount: 0,
      quoteVolume: '',
      takerBuyQuoteVolume: '',
      revision: 0,
      final: true,
      firstSeq: 0,
      lastSeq: 0,
    };
  });
}
