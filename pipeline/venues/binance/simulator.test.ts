/**
 * Interop: the adapter against the venue simulator (a local server speaking Binance's protocol
 * over the recorded files), with only base URLs changed — the way `npm start` falls back
 * when Binance cannot be reached.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { EnvelopeCodec, TradeCodec } from '../../../proto/index.ts';
import { recordedData, until } from '../../../test/support/index.ts';
import { createEmbeddedBus } from '../../bus/index.ts';
import { createVenueSimulator } from '../simulator/index.ts';
import { createBinanceNormalizer, createBinanceVenue, type RestTrade, restTradesToRecords } from './index.ts';

const logger = createLogger({ name: 'binance-sim-test', level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe('Binance adapter against the venue simulator', () => {
  it('ingests and normalizes the recording across forced drops; REST history repairs what a drop lost', async () => {
    const sim = createVenueSimulator(
      {},
      {
        wsRecordings: [recordedData('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz')],
        exchangeInfo: recordedData('rest', 'binance-spot-exchange-info-20211022.json'),
        speed: 'max',
        faults: { dropAfter: 4000 },
      },
    );
    await sim.start();
    cleanups.push(() => sim.stop());
    const bus = createEmbeddedBus({ logger });
    cleanups.push(() => bus.close());
    const venue = createBinanceVenue(
      { bus, logger },
      {
        symbols: ['BTCUSDT'],
        streams: ['trade'],
        wsBaseUrl: sim.wsUrl,
        restBaseUrl: sim.restUrl,
        ws: {
          pingIntervalMs: 30_000,
          deadAfterMs: 60_000,
          maxConnectionAgeMs: 3_600_000,
          reconnect: { initialDelayMs: 5, maxDelayMs: 50, jitter: 0.5 },
        },
      },
    );
    await venue.start();
    cleanups.push(() => venue.stop());
    const normalizer = createBinanceNormalizer({ bus, logger }, { venues: ['BINANCE'] });
    await normalizer.start();
    cleanups.push(() => normalizer.stop());
    const ids = new Set<string>();
    const sub = await bus.subscribe({
      groupId: 'sim-reader',
      topics: ['norm.trade'],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages)
          ids.add(TradeCodec.decode(EnvelopeCodec.decode(m.value).payload).tradeId);
      },
    });
    cleanups.push(() => sub.stop());

    // An abrupt drop can lose frames in flight (the simulator, like Binance, does not resend on
    // reconnect): the live path may miss a few trades at each drop; REST history repairs them.
    await until(
      () =>
        venue.stats().ws.reconnects >= 2 &&
        ids.size >= 9757 - venue.stats().ws.reconnects &&
        ids.has('3735693015'),
      'the recording to the last trade',
    );
    const got = [...ids].map(Number).sort((a, b) => a - b);
    expect(got[0]).toBe(3735683259);
    expect(got.at(-1)).toBe(3735693015);
    expect(normalizer.stats().deadLettered).toBe(0);
    const missing: number[] = [];
    for (let id = 3735683259; id <= 3735693015; id++) if (!ids.has(String(id))) missing.push(id);
    expect(missing.length).toBeLessThanOrEqual(venue.stats().ws.reconnects);

    // Gap repair: the missing ids from REST historicalTrades, with the same event ids as live.
    for (const id of missing) {
      const pages: RestTrade[] = [];
      for await (const page of venue.market.historicalTradesFrom({
        symbol: 'BTCUSDT',
        fromId: id,
        toId: id,
      })) {
        pages.push(...page);
      }
      const { records } = restTradesToRecords(
        { venue: 'BINANCE', symbol: 'BTCUSDT', ingestedAtUs: 0 },
        pages,
      );
      expect(records.map((r) => EnvelopeCodec.decode(r.value).eventId)).toEqual([
        `BINANCE:BTCUSDT:trade:${id}`,
      ]);
    }

    const [info] = await venue.symbols();
    expect(info).toMatchObject({ venueSymbol: 'BTCUSDT', tickSize: '0.01' });
    const klines = await venue.market.klines({ symbol: 'BTCUSDT', interval: '1m', limit: 3 });
    expect(klines.length).toBeGreaterThan(0);
    expect(venue.http.usedWeight()).toBeGreaterThan(0);
  });
});
