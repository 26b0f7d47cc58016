/**
 * Bars jobs on any exchange through ccxt: the same coverage → windows → missing open times
 * as Binance, with pages from `CcxtVenue.backfillBars` (ccxt's own rate limiter spaces the
 * requests) sent as final bars on norm.kline. ccxt OHLCV carries no trade count, so a bar with
 * zero volume stands for a quiet period and is not written.
 */
import { InvalidInputError } from '../../core/errors.ts';
import { BarCodec, EnvelopeCodec, EventType, eventId, SCHEMA_VERSION, seriesKey } from '../../proto/index.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { BusRecord } from '../bus/types.ts';
import type { CcxtVenue } from '../venues/ccxt/index.ts';
import { type BaseJobContext, fillBarGaps, type JobOutcome } from './jobs.ts';
import { inGaps } from './plan.ts';

/** A ccxt venue's market, by the id we store under (BTCUSDT) and the unified symbol ccxt takes (BTC/USDT). */
export interface CcxtMarketRef {
  readonly id: string;
  readonly unified: string;
}

/** Finds `symbol` (market id or unified symbol) among the venue's markets. */
export async function resolveCcxtMarket(venue: CcxtVenue, symbol: string): Promise<CcxtMarketRef> {
  const markets = await venue.exchange.loadMarkets();
  const wanted = symbol.toUpperCase();
  for (const m of Object.values(markets)) {
    const id = m?.id;
    const unified = m?.symbol;
    if (typeof id !== 'string' || typeof unified !== 'string') continue;
    if (id.toUpperCase() === wanted || unified.toUpperCase() === wanted) return { id, unified };
  }
  const sample = Object.values(markets)
    .slice(0, 5)
    .map((m) => m?.id)
    .join(', ');
  throw new InvalidInputError('symbol', `${venue.exchange.id} has no market "${symbol}" (e.g. ${sample})`);
}

const ZERO = /^0*\.?0*$/;

/** Fills missing bars of the job's period from ccxt `fetchOHLCV` pages. */
export function runCcxtBarsJob(
  ctx: BaseJobContext & { readonly ccxt: CcxtVenue; readonly unified: string },
): Promise<JobOutcome> {
  const { progress } = ctx;
  return fillBarGaps(ctx, async (window) => {
    const pages = ctx.ccxt.backfillBars(ctx.unified, ctx.period, {
      sinceMs: Math.floor(window.fromUs / 1000),
      untilMs: Math.floor(window.toUs / 1000) - 1,
    });
    for await (const page of pages) {
      progress.requestsMade++;
      const nowUs = ctx.nowUs();
      const records: BusRecord[] = [];
      for (const bar of page) {
        const open = Number(bar.openTimeUs);
        if (!bar.final || ZERO.test(bar.volume ?? '') || !inGaps(window.gaps, open)) continue;
        records.push({
          topic: TOPIC_NAMES.normKline,
          key: seriesKey(ctx.venue, ctx.symbol),
          value: EnvelopeCodec.encode({
            eventId: eventId(ctx.venue, ctx.symbol, EventType.bar, `${ctx.period}:${open / 1000}:final`),
            eventType: EventType.bar,
            venue: ctx.venue,
            symbol: ctx.symbol,
            observedAtUs: Number(bar.closeTimeUs),
            ingestedAtUs: nowUs,
            schemaVersion: SCHEMA_VERSION,
            stream: `kline_${ctx.period}`,
            payload: BarCodec.encode(bar),
          }),
        });
      }
      if (records.length > 0) {
        await ctx.bus.produce(records);
        progress.itemsWritten += records.length;
      }
      const last = page[page.length - 1];
      if (last !== undefined) progress.coveredToUs = Math.min(window.toUs, Number(last.closeTimeUs));
      await ctx.tick();
      // Leaving the loop ends ccxt's pagination: no further request is made.
      if (ctx.cancelled()) return 'cancelled';
    }
    return 'done';
  });
}
