/**
 * The rows of a small bar file as catalog-inlined bars (pure). Only when the text the reader
 * would decode is certain: every number a safe integer (DuckDB stores them as BIGINT/INTEGER,
 * so anything else could round) and every decimal a validated string (stored exactly).
 */

import { tryCanonicalDecimal } from '../../../core/decimal/index.ts';
import { INLINE_BAR_ROWS, type InlineBar } from '../catalog/manifest.ts';
import type { BarGroup } from './bar-buffer.ts';

const text = (s: string | undefined): string =>
  s === undefined || s === '' ? '' : (tryCanonicalDecimal(s) ?? s);

/** The inlined rows of `g` in open-time order, or undefined when it has too many rows or odd numbers. */
export function inlineBarsOf(g: BarGroup): InlineBar[] | undefined {
  if (g.bars.size > INLINE_BAR_ROWS) return undefined;
  const [opens, closes] = g.cols;
  const out: InlineBar[] = [];
  let i = 0;
  // `g.cols` were filled in `g.bars` order, so row i of the columns is the i-th bar.
  for (const { row: r, version } of g.bars.values()) {
    const bar: InlineBar = [
      opens![i] as number,
      closes![i] as number,
      text(r.open),
      text(r.high),
      text(r.low),
      text(r.close),
      text(r.volume),
      text(r.takerBuyVolume),
      text(r.makerVolume),
      r.tradeCount ?? 0,
      text(r.quoteVolume),
      text(r.takerBuyQuoteVolume),
      r.revision ?? 0,
      r.final ?? false,
      r.firstSeq ?? 0,
      r.lastSeq ?? 0,
      version,
    ];
    for (const k of [0, 1, 9, 12, 14, 15, 16]) if (!Number.isSafeInteger(bar[k])) return undefined;
    out.push(bar);
    i++;
  }
  return out.sort((a, b) => a[0] - b[0]);
}
