/**
 * The backfill service against the venue simulator serving the recorded BTCUSDT spot trades
 * over Binance REST, writing through the real pipeline (dedup, sequencer, bars, store sink).
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackfillCommandCodec, BackfillProgressCodec, EnvelopeCodec, EventType } from '../../proto/index.ts';
import { until } from '../../test/support/index.ts';
import { processorsConfigSchema } from '../processors/index.ts';
import { createCcxtVenue } from '../venues/ccxt/index.ts';
import { BACKFILL_TOPICS, type BackfillService } from './service.ts';
import {
  FROM_US,
  ingestCsv,
  removeTempDirs,
  simulatorMarket,
  startSimulator,
  TO_US,
  TRADES_CSV,
  tempStore,
  truncatedTradesCsv,
  withBackfill,
} from './testing/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  removeTempDirs();
});

const FIRST_ID = 3735683259;
const TOTAL = 19_904;

const market = simulatorMarket;

async function simMarket(extra = {}) {
  const sim = await startSimulator(extra);
  cleanups.push(() => sim.stop());
  return market(sim.restUrl);
}

const series = { venue: 'BINANCE', symbol: 'BTCUSDT' } as const;

describe('backfill service against the venue simulator', () => {
  it('trades: finds the trades missing after the stored range, fills them through dedup; a second run writes nothing', async () => {
    const store = tempStore();
    await ingestCsv(store, truncatedTradesCsv(8000));
    const venues = { BINANCE: await simMarket() };
    const request = { ...series, dataset: 'trades', fromUs: FROM_US, toUs: TO_US } as const;

    const first = await withBackfill(store, venues, async (service, reader) => {
      const before = await reader.tradeGaps(series);
      expect(before.rows).toBe(8000);
      const job = await service.submit(request);
      const done = await service.finished(job.jobId);
      const after = await reader.tradeGaps(series);
      const coverage = await reader.barCoverage({ ...series, fromUs: FROM_US, toUs: TO_US });
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      return { done, after, coverage, bars };
    });
    expect(first.done.error).toBeUndefined();
    expect(first.done.state).toBe('done');
    expect(first.done.itemsWritten).toBe(TOTAL - 8000);
    expect(first.after).toMatchObject({
      rows: TOTAL,
      firstTradeId: FIRST_ID,
      lastTradeId: FIRST_ID + TOTAL - 1,
      missingTradeIds: 0,
      seqHoles: 0,
      firstSeq: 1,
      lastSeq: TOTAL,
    });
    expect(first.coverage.gaps).toEqual([]);

    const second = await withBackfill(store, venues, async (service, reader) => {
      const job = await service.submit(request);
      const done = await service.finished(job.jobId);
      const after = await reader.tradeGaps(series);
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      return { done, after, bars };
    });
    expect(second.done.state).toBe('done');
    expect(second.done.itemsWritten).toBe(0);
    expect(second.done.requestsMade).toBeLessThanOrEqual(1);
    expect(second.done.notes).toEqual([]);
    expect(second.after).toEqual(first.after);
    expect(second.bars).toEqual(first.bars);
  });

  it('bars: fills the missing minutes from venue klines, idempotent per open time; a second run writes nothing', async () => {
    const store = tempStore();
    await ingestCsv(store, truncatedTradesCsv(8000));
    const venues = { BINANCE: await simMarket() };
    const request = { ...series, dataset: 'bars', period: '1m', fromUs: FROM_US, toUs: TO_US } as const;
    const first = await withBackfill(store, venues, async (service, reader) => {
      const before = await reader.barCoverage({ ...series, fromUs: FROM_US, toUs: TO_US });
      const job = await service.submit(request);
      const done = await service.finished(job.jobId);
      const coverage = await reader.barCoverage({ ...series, fromUs: FROM_US, toUs: TO_US });
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      return { before, done, coverage, bars };
    });
    expect(first.before.missing).toBeGreaterThan(0);
    expect(first.done).toMatchObject({
      state: 'done',
      itemsWritten: first.before.missing,
      gapsFound: first.before.missing,
    });
    expect(first.coverage.missing).toBe(0);
    expect(first.bars).toHaveLength(12);

    const second = await withBackfill(store, venues, async (service, reader) => {
      const done = await service.finished((await service.submit(request)).jobId);
      const bars = await reader.getBars({ ...series, period: '1m', fromUs: FROM_US, toUs: TO_US });
      return { done, bars };
    });
    expect(second.done).toMatchObject({ state: 'done', itemsWritten: 0, requestsMade: 0, gapsFound: 0 });
    expect(second.bars).toEqual(first.bars);
  });

  it('honours 429 + Retry-After from a venue whose weight limit is small, and still fills every gap', async () => {
    // One fake clock for the simulator's weight window and the client's sleeps: waits cost no real time.
    let nowMs = Date.parse('2024-08-09T01:00:00Z');
    const sleeps: number[] = [];
    const statuses: number[] = [];
    const sim = await startSimulator({ weightLimit: 4 }, () => nowMs);
    cleanups.push(() => sim.stop());
    const venues = {
      BINANCE: market(sim.restUrl, {
        now: () => nowMs,
        sleep: async (ms) => {
          sleeps.push(ms);
          nowMs += ms;
        },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          statuses.push(response.status);
          return response;
        },
      }),
    };
    const store = tempStore();
    const result = await withBackfill(
      store,
      venues,
      async (service, reader) => {
        const job = await service.submit({ ...series, dataset: 'bars', fromUs: FROM_US, toUs: TO_US });
        const done = await service.finished(job.jobId);
        return { done, coverage: await reader.barCoverage({ ...series, fromUs: FROM_US, toUs: TO_US }) };
      },
      { config: { klinesPageLimit: 2 }, clock: () => nowMs * 1000 },
    );
    expect(result.done.error).toBeUndefined();
    // 12 minutes in pages of 2 = 6 klines calls (plus the earliest-time probe), at 2 per minute.
    expect(result.done).toMatchObject({ state: 'done', requestsMade: 6, itemsWritten: 12 });
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 418)).toEqual([]);
    // Each wait is the simulator's Retry-After (whole seconds to its next minute).
    expect(sleeps.length).toBeGreaterThan(0);
    for (const ms of sleeps) expect(ms % 1000).toBe(0);
    expect(result.coverage.missing).toBe(0);
  });

  it('refuses ranges before the earliest time, in the future, or inverted, naming what is valid', async () => {
    const venues = { BINANCE: await simMarket() };
    await withBackfill(tempStore(), venues, async (service) => {
      const base = { ...series, dataset: 'bars' } as const;
      await expect(
        service.submit({ ...base, fromUs: Date.parse('2024-08-01T00:00:00Z') * 1000, toUs: TO_US }),
      ).rejects.toThrow(/earliest time 2024-08-08T23:54:00\.000Z; from 2024-08-01T00:00:00\.000Z is earlier/);
      await expect(
        service.submit({ ...base, fromUs: FROM_US, toUs: (Date.now() + 3_600_000) * 1000 }),
      ).rejects.toThrow(/reaches into the future; it must end by now/);
      await expect(service.submit({ ...base, fromUs: TO_US, toUs: FROM_US })).rejects.toThrow(
        /empty or inverted/,
      );
      await expect(service.submit({ ...base, period: '7m', fromUs: FROM_US, toUs: TO_US })).rejects.toThrow(
        /period: expected one of 1m, 3m, 5m, .* \(got "7m"\)/,
      );
      await expect(
        service.submit({ ...base, venue: 'KRAKEN', fromUs: FROM_US, toUs: TO_US }),
      ).rejects.toThrow(/configured venues: BINANCE/);
      await expect(
        service.submit({ ...base, symbol: 'FOOBAR', fromUs: FROM_US, toUs: TO_US }),
      ).rejects.toThrow('symbol: BINANCE does not list FOOBAR');
    });
  });

  it('cancel stops the job between requests', async () => {
    const venues = { BINANCE: await simMarket() };
    let service: BackfillService | undefined;
    const result = await withBackfill(
      tempStore(),
      venues,
      async (s) => {
        service = s;
        await s.submit({ ...series, jobId: 'job-cancel', dataset: 'bars', fromUs: FROM_US, toUs: TO_US });
        return s.finished('job-cancel');
      },
      {
        config: { klinesPageLimit: 2 },
        onProgress: (status) => {
          if (status.state === 'running' && status.requestsMade === 1) service?.cancel(status.jobId);
        },
      },
    );
    expect(result).toMatchObject({ state: 'cancelled', requestsMade: 1, itemsWritten: 2 });
    expect(service?.cancel('job-cancel')).toBe(false);
  });

  it('takes jobs from cmd.backfill and publishes BackfillProgress on exec.backfill', async () => {
    const venues = { BINANCE: await simMarket() };
    const progress: { state: string; itemsWritten: number; fractionDone: number }[] = [];
    const status = await withBackfill(tempStore(), venues, async (service, _reader, bus) => {
      await bus.subscribe({
        groupId: 'test-progress',
        topics: [BACKFILL_TOPICS.progress],
        fromBeginning: true,
        handler: async (batch) => {
          for (const m of batch.messages) {
            const env = EnvelopeCodec.decode(m.value);
            expect(env.eventType).toBe(EventType.backfillProgress);
            const p = BackfillProgressCodec.decode(env.payload);
            progress.push({
              state: p.state,
              itemsWritten: Number(p.itemsWritten),
              fractionDone: p.fractionDone,
            });
          }
        },
      });
      const payload = BackfillCommandCodec.encode({
        jobId: 'job-bus',
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        dataset: 'bars',
        period: '1m',
        fromUs: FROM_US,
        toUs: TO_US,
        action: 'start',
        requestedBy: 'test',
      });
      await bus.produce([
        {
          topic: BACKFILL_TOPICS.commands,
          key: 'job-bus',
          value: EnvelopeCodec.encode({ eventId: 'cmd-1', eventType: EventType.backfillCommand, payload }),
        },
      ]);
      await until(
        () => service.status('job-bus') !== undefined,
        'the job to be taken from the command topic',
      );
      const final = await service.finished('job-bus');
      await until(() => progress.at(-1)?.state === 'done', 'the done progress event');
      return final;
    });
    expect(status).toMatchObject({ state: 'done', itemsWritten: 12 });
    expect(progress[0]?.state).toBe('queued');
    expect(progress.at(-1)).toEqual({ state: 'done', itemsWritten: 12, fractionDone: 1 });
  });

  it('trades older than the dedup window are not sent as trades (dedup would expire them); their minutes come from klines', async () => {
    // Store B holds the first 8000 trades, but the pipeline's dedup state is that of a run that
    // saw all 19,904 (a store restored from an older backup): with a 1024-id window, the missing
    // tail is mostly older than the dedup window and the rest was already seen.
    const small = processorsConfigSchema.parse({ dedup: { windowIds: 1024 } });
    const a = tempStore();
    await ingestCsv(a, TRADES_CSV, small);
    const b = tempStore();
    await ingestCsv(b, truncatedTradesCsv(8000), small);
    copyFileSync(join(a.dataDir, '_state', 'state.dedup.bin'), join(b.dataDir, '_state', 'state.dedup.bin'));
    const venues = { BINANCE: await simMarket() };
    const result = await withBackfill(
      b,
      venues,
      async (service, reader) => {
        const job = await service.submit({ ...series, dataset: 'trades', fromUs: FROM_US, toUs: TO_US });
        const done = await service.finished(job.jobId);
        return {
          done,
          trades: await reader.tradeGaps(series),
          coverage: await reader.barCoverage({ ...series, fromUs: FROM_US, toUs: TO_US }),
        };
      },
      { processors: small },
    );
    expect(result.done.error).toBeUndefined();
    expect(result.done.state).toBe('done');
    expect(result.done.gapsFound).toBe(TOTAL - 8000);
    expect(result.done.notes.join('\n')).toMatch(/1024 trades were already seen by the pipeline/);
    expect(result.done.notes.join('\n')).toMatch(
      /10880 trades .* are older than the dedup window \(1024 ids/,
    );
    expect(result.trades.rows).toBe(8000);
    // Every minute of the expired span now has a bar; the last minute holds only trades the
    // (copied) dedup state had already seen, which the backfill leaves to the pipeline that saw them.
    const lastMinute = Date.parse('2024-08-09T00:05:00Z') * 1000;
    expect(result.coverage.gaps).toEqual([{ fromUs: lastMinute, toUs: TO_US, missing: 1 }]);
  });

  it('answers a refused cmd.backfill command with a failed progress that says why', async () => {
    const venues = { BINANCE: await simMarket() };
    const failed = await withBackfill(tempStore(), venues, async (_service, _reader, bus) => {
      let error: string | undefined;
      await bus.subscribe({
        groupId: 'test-refused',
        topics: [BACKFILL_TOPICS.progress],
        fromBeginning: true,
        handler: async (batch) => {
          for (const m of batch.messages) {
            const p = BackfillProgressCodec.decode(EnvelopeCodec.decode(m.value).payload);
            if (p.state === 'failed') error = p.error;
          }
        },
      });
      const payload = BackfillCommandCodec.encode({
        jobId: 'job-early',
        venue: 'BINANCE',
        symbol: 'BTCUSDT',
        dataset: 'bars',
        fromUs: Date.parse('2024-01-01T00:00:00Z') * 1000,
        toUs: TO_US,
        action: 'start',
      });
      await bus.produce([
        {
          topic: BACKFILL_TOPICS.commands,
          key: 'job-early',
          value: EnvelopeCodec.encode({ eventId: 'cmd-2', eventType: EventType.backfillCommand, payload }),
        },
      ]);
      await until(() => error !== undefined, 'the job to fail');
      return error;
    });
    expect(failed).toMatch(/earliest time 2024-08-08T23:54:00\.000Z/);
  });

  it('bars from any exchange through ccxt (binance via the simulator), stored under the market id; second run writes nothing', async () => {
    const sim = await startSimulator();
    cleanups.push(() => sim.stop());
    const ccxt = createCcxtVenue(
      {},
      {
        exchange: 'binance',
        venueId: 'CCXT_BINANCE',
        marketTypes: ['spot'],
        hostOverrides: { 'https://api.binance.com': sim.restUrl },
      },
    );
    cleanups.push(() => ccxt.close());
    const store = tempStore();
    const request = {
      venue: 'CCXT_BINANCE',
      symbol: 'BTC/USDT',
      dataset: 'bars',
      fromUs: FROM_US,
      toUs: TO_US,
    } as const;
    const run = () =>
      withBackfill(
        store,
        {},
        async (service, reader) => {
          const done = await service.finished((await service.submit(request)).jobId);
          const bars = await reader.getBars({
            venue: 'CCXT_BINANCE',
            symbol: 'BTCUSDT',
            period: '1m',
            fromUs: FROM_US,
            toUs: TO_US,
          });
          return { done, bars };
        },
        { ccxt: { CCXT_BINANCE: ccxt } },
      );
    const first = await run();
    expect(first.done.error).toBeUndefined();
    expect(first.done).toMatchObject({ state: 'done', symbol: 'BTCUSDT', itemsWritten: 12 });
    expect(first.bars).toHaveLength(12);
    expect(first.bars[0]).toMatchObject({ openTimeUs: FROM_US, open: '61837.63' });
    const second = await run();
    expect(second.done).toMatchObject({ state: 'done', itemsWritten: 0, requestsMade: 0 });
    expect(second.bars).toEqual(first.bars);
  });
});
