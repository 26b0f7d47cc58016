/**
 * Repair of candles that trade-id holes left wrong. A hole inside the stored trade range (a
 * websocket drop) cannot be refilled as trades (they would get seqs after newer trades; see
 * README), but the 1m bars of the minutes it touches are short of those trades: a wrong candle.
 * Those bars are replaced by the venue's klines at the next revision (the store keeps the
 * highest revision per open time), so every period derived from 1m is right again. A minute
 * already repaired (its stored bar counts more trades than the stored trades give) is not asked
 * for again, so a second run makes no request and writes nothing.
 */

import { PERIOD_US } from '../../core/periods/index.ts';
import { BarCodec, EnvelopeCodec } from '../../proto/index.ts';
import type { BusRecord } from '../bus/types.ts';
import type { TradeGaps } from '../store/index.ts';
import { restKlinesToRecords } from '../venues/binance/index.ts';
import type { JobContext, JobOutcome } from './job-context.ts';

const MINUTE_US = PERIOD_US['1m'];

/** Open times of the 1m bars a hole's missing trades fall in, sorted, each once. */
export function holeMinutes(holes: TradeGaps['holes']): number[] {
  const minutes = new Set<number>();
  for (const h of holes) {
    const last = Math.floor(h.beforeTimeUs / MINUTE_US) * MINUTE_US;
    for (let m = Math.floor(h.afterTimeUs / MINUTE_US) * MINUTE_US; m <= last; m += MINUTE_US) minutes.add(m);
  }
  return [...minutes].sort((a, b) => a - b);
}

/** Runs of consecutive minutes as [fromUs, toUs) windows of at most `maxMinutes`. */
export function minuteWindows(
  minutes: readonly number[],
  maxMinutes: number,
): { fromUs: number; toUs: number }[] {
  const out: { fromUs: number; toUs: number }[] = [];
  for (const m of minutes) {
    const last = out.at(-1);
    if (last !== undefined && last.toUs === m && (last.toUs - last.fromUs) / MINUTE_US < maxMinutes)
      last.toUs = m + MINUTE_US;
    else out.push({ fromUs: m, toUs: m + MINUTE_US });
  }
  return out;
}

/** `record` (a bar envelope) with the bar's revision set to `revisionAt(open time)`. */
function withRevision(record: BusRecord, revisionAt: (openTimeUs: number) => number): BusRecord {
  const envelope = EnvelopeCodec.decode(record.value);
  const bar = BarCodec.decode(envelope.payload);
  bar.revision = revisionAt(bar.openTimeUs);
  envelope.payload = BarCodec.encode(bar);
  return { ...record, value: EnvelopeCodec.encode(envelope) };
}

/**
 * Replaces the stored 1m bars of minutes touched by `holes` with the venue's klines where the
 * venue counts more trades than the store holds. Returns what it wrote through `ctx.progress`.
 */
export async function repairHoleBars(ctx: JobContext, holes: TradeGaps['holes']): Promise<JobOutcome> {
  const { venue, symbol, progress } = ctx;
  const series = { venue, symbol };
  let repaired = 0;
  for (const window of minuteWindows(holeMinutes(holes), ctx.config.klinesPageLimit)) {
    if (ctx.cancelled()) return 'cancelled';
    const range = { ...series, period: '1m', fromUs: window.fromUs, toUs: window.toUs };
    const stored = new Map((await ctx.reader.getBars(range)).map((b) => [b.openTimeUs, b]));
    const fromTrades = new Map((await ctx.reader.barsFromTrades(range)).map((b) => [b.openTimeUs, b]));
    // Still short: the stored bar counts no more trades than the stored trades give.
    const short = [...stored.values()].filter(
      (b) => b.tradeCount <= (fromTrades.get(b.openTimeUs)?.tradeCount ?? 0),
    );
    if (short.length === 0) continue;
    const page = await ctx.market.klines({
      symbol,
      interval: '1m',
      startTime: window.fromUs / 1000,
      endTime: window.toUs / 1000 - 1,
      limit: ctx.config.klinesPageLimit,
    });
    progress.requestsMade++;
    const nowUs = ctx.nowUs();
    const asOfMs = Math.floor(nowUs / 1000);
    const shortAt = new Map(short.map((b) => [b.openTimeUs, b]));
    const keep = page.filter(
      (k) => k[6] < asOfMs && k[8] > (shortAt.get(k[0] * 1000)?.tradeCount ?? Infinity),
    );
    if (keep.length > 0) {
      const { records, failures } = restKlinesToRecords(
        { venue, symbol, interval: '1m', asOfMs, ingestedAtUs: nowUs },
        keep,
      );
      if (failures.length > 0) {
        progress.notes.push(`${failures.length} klines did not normalize: ${failures[0]!.failure.message}`);
      }
      const revised = records.map((r) => withRevision(r, (t) => (shortAt.get(t)?.revision ?? 0) + 1));
      await ctx.bus.produce(revised);
      progress.itemsWritten += revised.length;
      repaired += revised.length;
    }
    await ctx.tick();
  }
  if (repaired > 0) {
    progress.notes.push(
      `${repaired} 1m bars of minutes touched by those holes were replaced by the venue's klines (next revision), ` +
        'so their candles count the missing trades',
    );
  }
  return 'done';
}
