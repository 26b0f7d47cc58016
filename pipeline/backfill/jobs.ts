/**
 * The two job kinds: `bars` (missing bars of a period ← venue klines → norm.kline) and
 * `trades` (trades after the newest stored one ← venue trade history → norm.trade, through
 * dedup and the sequencer). Each REST call is one awaited request (per-venue concurrency is
 * the service's queue); cancellation is checked between requests.
 */
import { InvalidInputError } from '../../core/errors.ts';
import { isFixedPeriod, PERIOD_US } from '../../core/periods/index.ts';
import { TRADES_DATASET } from '../store/index.ts';
import { type RestTrade, restKlinesToRecords, restTradesToRecords } from '../venues/binance/index.ts';
import { createDedupGuard, type DedupGuard } from './dedup-guard.ts';
import type { BaseJobContext, JobContext, JobOutcome } from './job-context.ts';
import { inGaps, isoUs, type KlineWindow, planKlineWindows } from './plan.ts';
import { repairHoleBars } from './repair.ts';

export type { BaseJobContext, JobContext, JobOutcome, JobProgress } from './job-context.ts';

/** Binance refuses aggTrades windows of an hour or more. */
const AGG_WINDOW_MS = 60 * 60_000 - 1;

/**
 * Fills missing bars of `period` in the range with venue klines. Only open times the store
 * lacks are sent, and only bars with trades (a quiet minute has no bar in our store, as the
 * bar builder does), only final ones (closed before now).
 */
export function runBarsJob(ctx: JobContext): Promise<JobOutcome> {
  return fillBarGaps(ctx, (window, width) => fetchKlinesWindow(ctx, window, width));
}

/**
 * The venue-independent part of a bars job: coverage of the stored period over the range,
 * gaps grouped into page-sized windows, and `fetchWindow` called per window, oldest first.
 */
export async function fillBarGaps(
  ctx: BaseJobContext,
  fetchWindow: (window: KlineWindow, widthUs: number) => Promise<JobOutcome>,
): Promise<JobOutcome> {
  const { venue, symbol, period, progress } = ctx;
  if (!isFixedPeriod(period)) throw new InvalidInputError('period', `${period} has no fixed width`);
  const width = PERIOD_US[period];
  const coverage = await ctx.reader.barCoverage({
    venue,
    symbol,
    period,
    fromUs: ctx.fromUs,
    toUs: ctx.toUs,
    maxGaps: ctx.config.maxGaps,
  });
  progress.gapsFound = coverage.gaps.reduce((n, g) => n + g.missing, 0);
  for (const window of planKlineWindows(coverage.gaps, width, ctx.config.klinesPageLimit)) {
    if ((await fetchWindow(window, width)) === 'cancelled') return 'cancelled';
    progress.coveredToUs = window.toUs;
  }
  progress.coveredToUs = ctx.toUs;
  return 'done';
}

async function fetchKlinesWindow(ctx: JobContext, window: KlineWindow, width: number): Promise<JobOutcome> {
  const { venue, symbol, period, progress, market } = ctx;
  const limit = ctx.config.klinesPageLimit;
  let cursorMs = Math.floor(window.fromUs / 1000);
  const endMs = Math.floor(window.toUs / 1000) - 1;
  while (cursorMs <= endMs) {
    if (ctx.cancelled()) return 'cancelled';
    const page = await market.klines({
      symbol,
      interval: period,
      startTime: cursorMs,
      endTime: endMs,
      limit,
    });
    progress.requestsMade++;
    const nowUs = ctx.nowUs();
    const asOfMs = Math.floor(nowUs / 1000);
    const keep = page.filter((k) => k[8] > 0 && k[6] < asOfMs && inGaps(window.gaps, k[0] * 1000));
    if (keep.length > 0) {
      const { records, failures } = restKlinesToRecords(
        { venue, symbol, interval: period, asOfMs, ingestedAtUs: nowUs },
        keep,
      );
      if (failures.length > 0) {
        progress.notes.push(`${failures.length} klines did not normalize: ${failures[0]!.failure.message}`);
      }
      await ctx.bus.produce(records);
      progress.itemsWritten += records.length;
    }
    const last = page[page.length - 1];
    progress.coveredToUs = last === undefined ? window.toUs : Math.min(window.toUs, (last[0] + 1) * 1000);
    // The next bar after the last one served; past the window's end, the window is done.
    if (last === undefined || page.length < limit) cursorMs = endMs + 1;
    else cursorMs = last[0] + width / 1000;
    await ctx.tick();
  }
  return 'done';
}

/** 1m bars missing in [fromUs, toUs) (the minute of `toUs` excluded when it starts a bar). */
async function minutesMissing(ctx: BaseJobContext, fromUs: number, toUs: number): Promise<number> {
  const minute = PERIOD_US['1m'];
  const end = Math.floor(toUs / minute) * minute;
  if (end <= fromUs) return 0;
  const c = await ctx.reader.barCoverage({
    venue: ctx.venue,
    symbol: ctx.symbol,
    fromUs,
    toUs: end,
    maxGaps: 1,
  });
  return c.missing;
}

/** The first venue trade id at or after `fromMs` (before `toMs`), from aggTrades (`f`), or undefined. */
async function firstTradeIdAt(ctx: JobContext, fromMs: number, toMs: number): Promise<number | undefined> {
  for (let start = fromMs; start < toMs; start += AGG_WINDOW_MS + 1) {
    if (ctx.cancelled()) return undefined;
    const end = Math.min(start + AGG_WINDOW_MS, toMs - 1);
    const page = await ctx.market.aggTrades({ symbol: ctx.symbol, startTime: start, endTime: end, limit: 1 });
    ctx.progress.requestsMade++;
    if (page.length > 0) return page[0]!.f;
    ctx.progress.coveredToUs = (end + 1) * 1000;
    await ctx.tick();
  }
  return undefined;
}

/**
 * Fetches trades after the newest stored trade (or from `fromUs` on an empty series) up to
 * `toUs`, and sends them to norm.trade: dedup drops anything already seen, the sequencer gives
 * them the next seqs in id order. Holes inside the stored range and history before it are
 * reported, not refilled as trades (see README: they would get seqs out of id order).
 */
export async function runTradesJob(ctx: JobContext): Promise<JobOutcome> {
  const { venue, symbol, progress } = ctx;
  const summary = ctx.reader.describeSeries({ dataset: TRADES_DATASET, venue, symbol })[0];
  let startId: number | undefined;
  if (summary !== undefined && summary.rows > 0) {
    if (ctx.toUs <= summary.minTimeUs) {
      throw new InvalidInputError(
        'from',
        `${symbol} on ${venue} has stored trades from ${isoUs(summary.minTimeUs)}; trade history before the ` +
          'stored trades is not backfilled as trades (it would come after newer trades in seq order and ' +
          'fall outside the dedup window) — backfill that range with --dataset bars',
      );
    }
    const inRange = await ctx.reader.tradeGaps({
      venue,
      symbol,
      fromUs: ctx.fromUs,
      toUs: ctx.toUs,
      maxGaps: ctx.config.maxGaps,
    });
    if (inRange.missingTradeIds > 0) {
      progress.notes.push(
        `${inRange.holes.length} trade-id holes (${inRange.missingTradeIds} trades) inside the stored range stay ` +
          'missing as trades (they would get seqs after newer trades); minutes with no bar at all are repaired by a bars job',
      );
      if ((await repairHoleBars(ctx, inRange.holes)) === 'cancelled') return 'cancelled';
    }
    if (ctx.fromUs < summary.minTimeUs && (await minutesMissing(ctx, ctx.fromUs, summary.minTimeUs)) > 0) {
      progress.notes.push(
        `before the first stored trade (${isoUs(summary.minTimeUs)}) trades are not backfilled and 1m bars are ` +
          'missing there; use --dataset bars for that span',
      );
    }
    progress.coveredToUs = Math.max(ctx.fromUs, Math.min(ctx.toUs, summary.maxTimeUs));
    if (ctx.toUs <= summary.maxTimeUs) return 'done';
    const newest = await ctx.reader.tradeGaps({ venue, symbol, fromUs: summary.maxTimeUs, maxGaps: 1 });
    startId = (newest.lastTradeId ?? 0) + 1;
    if (ctx.fromUs > summary.maxTimeUs) {
      const atFrom = await firstTradeIdAt(ctx, Math.floor(ctx.fromUs / 1000), Math.ceil(ctx.toUs / 1000));
      if (atFrom === undefined) return ctx.cancelled() ? 'cancelled' : 'done';
      startId = Math.max(startId, atFrom);
    }
  } else {
    startId = await firstTradeIdAt(ctx, Math.floor(ctx.fromUs / 1000), Math.ceil(ctx.toUs / 1000));
    if (startId === undefined) return ctx.cancelled() ? 'cancelled' : 'done';
  }
  const guard = await createDedupGuard(ctx.bus, `${venue}:${symbol}`, ctx.config.dedupWindowIds);
  const skipped: SkippedTrades = {
    duplicates: 0,
    expired: 0,
    expiredFromUs: Infinity,
    expiredToUs: -Infinity,
  };
  const outcome = await fetchTradesFrom(ctx, startId, guard, skipped);
  progress.gapsFound = progress.itemsWritten + skipped.duplicates + skipped.expired;
  if (skipped.duplicates > 0) {
    progress.notes.push(
      `${skipped.duplicates} trades were already seen by the pipeline (dedup) and not sent again`,
    );
  }
  if (skipped.expired === 0 || outcome === 'cancelled') return outcome;
  // Older than the dedup window: dedup would route them to bars.late, so their minutes come
  // from venue klines instead (only minutes with no stored bar).
  const minute = PERIOD_US['1m'];
  const fromUs = Math.floor(skipped.expiredFromUs / minute) * minute;
  const toUs = Math.min(ctx.toUs, Math.floor(skipped.expiredToUs / minute) * minute + minute);
  progress.notes.push(
    `${skipped.expired} trades ${isoUs(skipped.expiredFromUs)} .. ${isoUs(skipped.expiredToUs)} are older than the ` +
      `dedup window (${ctx.config.dedupWindowIds} ids below the newest seen) and were not sent as trades; ` +
      'missing 1m bars of that span are filled from klines',
  );
  const written = progress.itemsWritten;
  const gaps = progress.gapsFound;
  const barsOutcome = await runBarsJob({
    ...ctx,
    period: '1m',
    fromUs,
    toUs: Math.max(toUs, fromUs + minute),
  });
  progress.gapsFound = gaps;
  progress.notes.push(`${progress.itemsWritten - written} 1m bars written for that span`);
  progress.coveredToUs = ctx.toUs;
  return barsOutcome;
}

interface SkippedTrades {
  duplicates: number;
  expired: number;
  expiredFromUs: number;
  expiredToUs: number;
}

async function fetchTradesFrom(
  ctx: JobContext,
  fromId: number,
  guard: DedupGuard,
  skipped: SkippedTrades,
): Promise<JobOutcome> {
  const { progress, symbol } = ctx;
  const limit = ctx.config.tradesPageLimit;
  let cursor = fromId;
  for (;;) {
    if (ctx.cancelled()) return 'cancelled';
    const page = await ctx.market.historicalTrades({ symbol, fromId: cursor, limit });
    progress.requestsMade++;
    const keep: RestTrade[] = [];
    let passedEnd = false;
    for (const t of page) {
      const timeUs = t.time * 1000;
      if (timeUs >= ctx.toUs) {
        passedEnd = true;
        break;
      }
      const verdict = guard.verdict(t.id);
      if (verdict === 'new') keep.push(t);
      else if (verdict === 'duplicate') skipped.duplicates++;
      else {
        skipped.expired++;
        skipped.expiredFromUs = Math.min(skipped.expiredFromUs, timeUs);
        skipped.expiredToUs = Math.max(skipped.expiredToUs, timeUs);
      }
      progress.coveredToUs = timeUs + 1;
    }
    if (keep.length > 0) {
      const { records, failures } = restTradesToRecords(
        { venue: ctx.venue, symbol, ingestedAtUs: ctx.nowUs() },
        keep,
      );
      if (failures.length > 0) {
        progress.notes.push(`${failures.length} trades did not normalize: ${failures[0]!.failure.message}`);
      }
      await ctx.bus.produce(records);
      progress.itemsWritten += records.length;
    }
    if (passedEnd || page.length < limit) {
      progress.coveredToUs = ctx.toUs;
      await ctx.tick();
      return 'done';
    }
    cursor = page[page.length - 1]!.id + 1;
    await ctx.tick();
  }
}
