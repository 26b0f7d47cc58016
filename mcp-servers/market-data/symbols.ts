/** Symbol search: every stored or registered series, ranked against free text. Pure apart from the source. */
import type { SymbolRecord } from '../../pipeline/store/index.ts';
import { editDistance, type MarketDataSource } from '../common/index.ts';

/** A symbol as search and info tools see it: registry fields plus what is stored. */
export interface SymbolEntry {
  readonly exchange: string;
  readonly symbol: string;
  readonly record: SymbolRecord | null;
  /** Stored datasets (trades, bars_1m, bars_5m…) with their time ranges. */
  readonly stored: { dataset: string; rows: number; minTimeUs: number; maxTimeUs: number }[];
}

/** Every symbol the source knows. */
export async function allSymbols(source: MarketDataSource): Promise<SymbolEntry[]> {
  const map = new Map<string, SymbolEntry>();
  const entry = (exchange: string, symbol: string): SymbolEntry => {
    const key = `${exchange}:${symbol}`;
    let e = map.get(key);
    if (e === undefined) {
      e = { exchange, symbol, record: null, stored: [] };
      map.set(key, e);
    }
    return e;
  };
  for (const r of await source.listSymbols())
    map.set(`${r.exchangeId}:${r.venueSymbol}`, { ...entry(r.exchangeId, r.venueSymbol), record: r });
  for (const s of source.describeSeries()) {
    if (s.dataset === 'symbols') continue;
    entry(s.venue, s.symbol).stored.push({
      dataset: s.dataset,
      rows: s.rows,
      minTimeUs: s.minTimeUs,
      maxTimeUs: s.maxTimeUs,
    });
  }
  return [...map.values()];
}

/** Score of `e` for `query` (lower is better), or null when it does not match at all. */
export function matchScore(e: SymbolEntry, query: string): number | null {
  const q = query.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (q === '') return 0;
  const sym = e.symbol.toUpperCase();
  const base = e.record?.baseAsset.toUpperCase() ?? '';
  const quote = e.record?.quoteAsset.toUpperCase() ?? '';
  const desc = e.record?.description.toUpperCase() ?? '';
  if (sym === q) return 0;
  if (base === q) return 1;
  if (sym.startsWith(q)) return 2;
  if (quote === q) return 3;
  if (sym.includes(q)) return 4;
  if (desc.split(/[^A-Z0-9]+/).some((w) => w !== '' && w.startsWith(q))) return 5;
  const d = editDistance(q, sym);
  return d <= 2 ? 10 + d : null;
}
