/**
 * The top bar's symbol search over `/api/symbols`: ranking the matches of what was typed and
 * moving the highlighted row with the keyboard. Plain: the DOM part only renders the result.
 */
import * as z from 'zod';

/** One entry of `GET /api/symbols` (the fields the page uses; others are ignored). */
export const symbolEntrySchema = z.object({
  exchange: z.string(),
  symbol: z.string(),
  description: z.string().optional().default(''),
  baseAsset: z.string().optional().default(''),
  quoteAsset: z.string().optional().default(''),
  periods: z.array(z.string()).optional().default([]),
  status: z.string().optional(),
});
export const symbolsAnswerSchema = z.object({ symbols: z.array(symbolEntrySchema) });
export type SymbolEntry = z.output<typeof symbolEntrySchema>;

/** How well `entry` matches `q` (uppercase, no separators): lower is better, undefined when it does not. */
function rank(entry: SymbolEntry, q: string): number | undefined {
  const symbol = entry.symbol.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (symbol === q) return 0;
  if (symbol.startsWith(q)) return 1;
  if (entry.baseAsset.toUpperCase() === q) return 2;
  if (symbol.includes(q)) return 3;
  if (`${entry.exchange}:${entry.symbol}`.toUpperCase().includes(q)) return 4;
  if (entry.description.toUpperCase().includes(q)) return 5;
  return undefined;
}

/**
 * The entries matching `query` best first (exact symbol, prefix, base asset, substring, exchange,
 * description), ties in registry order; an empty query lists the first `limit`.
 * `BTC/USDT`, `btc-usdt` and `BINANCE:BTCUSDT` all find BTCUSDT.
 */
export function searchSymbols(entries: readonly SymbolEntry[], query: string, limit = 20): SymbolEntry[] {
  const raw = query.trim().toUpperCase();
  if (raw === '') return entries.slice(0, limit);
  const colon = raw.indexOf(':');
  const exchange = colon > 0 ? raw.slice(0, colon) : undefined;
  const q = (colon > 0 ? raw.slice(colon + 1) : raw).replace(/[^A-Z0-9]/g, '');
  const scored: { entry: SymbolEntry; score: number; index: number }[] = [];
  entries.forEach((entry, index) => {
    if (exchange !== undefined && entry.exchange.toUpperCase() !== exchange) return;
    const score = q === '' ? 0 : rank(entry, q);
    if (score !== undefined) scored.push({ entry, score, index });
  });
  scored.sort((a, b) => a.score - b.score || a.index - b.index);
  return scored.slice(0, limit).map((s) => s.entry);
}

/** The highlighted row after moving by `delta` through `count` rows, wrapping; -1 when there are none. */
export function moveHighlight(current: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (current < 0) return delta > 0 ? 0 : count - 1;
  return (((current + delta) % count) + count) % count;
}
