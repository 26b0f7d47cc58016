/** One-paragraph summaries of bars and trades (range, last, change, high/low, volume). Pure. */
import type { StoredBar, StoredTrade } from '../../pipeline/store/index.ts';
import { formatNumber, isoOfUs } from '../common/index.ts';

/** Summary of bars, oldest first (at least one). */
export function summarizeBars(what: string, bars: readonly StoredBar[]): string {
  const first = bars[0]!;
  const last = bars[bars.length - 1]!;
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  let volume = 0;
  let hiAt = first.openTimeUs;
  let loAt = first.openTimeUs;
  for (const b of bars) {
    const h = Number(b.high);
    const l = Number(b.low);
    if (h > high) [high, hiAt] = [h, b.openTimeUs];
    if (l < low) [low, loAt] = [l, b.openTimeUs];
    volume += Number(b.volume);
  }
  const change = (Number(last.close) / Number(first.open) - 1) * 100;
  return `${what}: ${bars.length} bars ${isoOfUs(first.openTimeUs)}..${isoOfUs(last.openTimeUs)}. Last close ${last.close}${last.final ? '' : ' (bar still forming)'}; change ${change >= 0 ? '+' : ''}${formatNumber(change, 3)}% from open ${first.open}; high ${formatNumber(high)} at ${isoOfUs(hiAt)}, low ${formatNumber(low)} at ${isoOfUs(loAt)}; volume ${formatNumber(volume)}.`;
}

/** Summary of trades in seq order (at least one). */
export function summarizeTrades(what: string, trades: readonly StoredTrade[]): string {
  const first = trades[0]!;
  const last = trades[trades.length - 1]!;
  let qty = 0;
  let notional = 0;
  let buy = 0;
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  for (const t of trades) {
    const p = Number(t.price);
    const q = Number(t.quantity);
    qty += q;
    notional += p * q;
    if (t.aggressor === 1) buy += q;
    if (p > high) high = p;
    if (p < low) low = p;
  }
  return `${what}: ${trades.length} trades, seq ${first.seq}..${last.seq}, ${isoOfTrade(first.timeUs)}..${isoOfTrade(last.timeUs)}. Last price ${last.price}; high ${formatNumber(high)}, low ${formatNumber(low)}; VWAP ${formatNumber(notional / qty)}; volume ${formatNumber(qty)} (${formatNumber((buy / qty) * 100, 3)}% buyer-initiated).`;
}

/** ISO time with milliseconds (trades are ms-stamped). */
export function isoOfTrade(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString();
}
