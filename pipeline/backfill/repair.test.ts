/**
 * Candles repaired after a websocket drop: the recorded BTCUSDT trades ingested with 300 trades
 * missing in the middle, then a trades backfill against the venue simulator (serving the whole
 * file). The trades stay missing (reported), but every 1m bar equals the bar of a store that
 * got every trade; a second run makes no repair request and writes nothing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredBar } from '../store/index.ts';
import { holeMinutes, minuteWindows } from './repair.ts';
import {
  FROM_US,
  ingestCsv,
  removeTempDirs,
  simulatorMarket,
  startSimulator,
  TO_US,
  TRADES_CSV,
  tempStore,
  withBackfill,
} from './testing/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  removeTempDirs();
});

const MINUTE = 60_000_000;
const series = { venue: 'BINANCE', symbol: 'BTCUSDT' } as const;

/** The recorded trades CSV without rows [from, to): a feed that dropped them. */
function csvWithHole(from: number, to: number): string {
  const lines = gunzipSync(readFileSync(TRADES_CSV)).toString('utf8').split('\n').filter(Boolean);
  const dir = mkdtempSync(path.join(tmpdir(), 'qf-repair-csv-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'BTCUSDT-trades-2024-08-08.csv');
  writeFileSync(file, `${[...lines.slice(0, from), ...lines.slice(to)].join('\n')}\n`);
  return file;
}

/** What a candle is, without the store's bookkeeping (revision, seq span). */
const candle = (b: StoredBar) => ({
  openTimeUs: b.openTimeUs,
  open: b.open,
  high: b.high,
  low: b.low,
  close: b.close,
  volume: b.volume,
  takerBuyVolume: b.takerBuyVolume,
  tradeCount: b.tradeCount,
  quoteVolume: b.quoteVolume,
});

describe('holeMinutes / minuteWindows', () => {
  it('lists every minute a hole spans once, and groups runs of minutes', () => {
    const holes = [
      { afterId: 1, beforeId: 5, afterTimeUs: 10 * MINUTE + 5, beforeTimeUs: 12 * MINUTE + 1 },
      { afterId: 9, beforeId: 11, afterTimeUs: 12 * MINUTE + 3, beforeTimeUs: 12 * MINUTE + 4 },
      { afterId: 20, beforeId: 22, afterTimeUs: 20 * MINUTE, beforeTimeUs: 20 * MINUTE + 7 },
    ];
    expect(holeMinutes(holes)).toEqual([10, 11, 12, 20].map((m) => m * MINUTE));
    expect(minuteWindows(holeMinutes(holes), 2)).toEqual([
      { fromUs: 10 * MINUTE, toUs: 12 * MINUTE },
      { fromUs: 12 * MINUTE, toUs: 13 * MINUTE },
      { fromUs: 20 * MINUTE, toUs: 21 * MINUTE },
    ]);
  });
});

describe('trades backfill repairs the candles of trade-id holes', () => {
  it('replaces the short 1m bars by the venue klines; trades stay reported missing; a second run writes nothing', {
    timeout: 120_000,
  }, async () => {
    const sim = await startSimulator();
    cleanups.push(() => sim.stop());
    const venues = { BINANCE: simulatorMarket(sim.restUrl) };

    const full = tempStore();
    await ingestCsv(full, TRADES_CSV);
    const reference = await withBackfill(full, venues, (_s, reader) =>
      reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US }),
    );

    const holed = tempStore();
    await ingestCsv(holed, csvWithHole(9_000, 9_300));
    const request = { ...series, dataset: 'trades', fromUs: FROM_US, toUs: TO_US } as const;
    const first = await withBackfill(holed, venues, async (service, reader) => {
      const before = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      const done = await service.finished((await service.submit(request)).jobId);
      const gaps = await reader.tradeGaps(series);
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      const hour = await reader.getBars({ ...series, period: '1h', fromUs: FROM_US, toUs: TO_US });
      return { before, done, gaps, bars, hour };
    });
    // The drop left some candles short before the repair.
    expect(first.before.map(candle)).not.toEqual(reference.map(candle));
    expect(first.done.state).toBe('done');
    expect(first.gaps.missingTradeIds).toBe(300);
    expect(first.done.notes.join('\n')).toMatch(/1 trade-id holes \(300 trades\)/);
    expect(first.done.notes.join('\n')).toMatch(/1m bars of minutes touched by those holes were replaced/);
    expect(first.bars.map(candle)).toEqual(reference.map(candle));
    const repaired = first.bars.filter((b, i) => b.revision > (first.before[i]?.revision ?? 0));
    expect(repaired.length).toBeGreaterThan(0);
    expect(first.done.itemsWritten).toBe(repaired.length);
    // Periods derived from 1m are right again too.
    const fullHour = await withBackfill(full, venues, (_s, reader) =>
      reader.getBars({ ...series, period: '1h', fromUs: FROM_US, toUs: TO_US }),
    );
    expect(first.hour.map(candle)).toEqual(fullHour.map(candle));

    const second = await withBackfill(holed, venues, async (service, reader) => {
      const done = await service.finished((await service.submit(request)).jobId);
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      return { done, bars };
    });
    expect(second.done.itemsWritten).toBe(0);
    expect(second.done.requestsMade).toBeLessThanOrEqual(1);
    expect(second.bars).toEqual(first.bars);
  });
});
