import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../core/errors.ts';
import { MarketType, type TradeInit } from '../../../proto/index.ts';
import { readAggTradesCsv } from '../replay/index.ts';
import { SPOT_EXCHANGE_INFO, SPOT_WS_FILES, XRPETH_AGG_CSV } from '../replay/testing/index.ts';
import { createVenueSimulator, type VenueSimulator } from '../simulator/index.ts';
import { CcxtVenueError, createCcxtVenue } from './index.ts';

/** Venue decimals in canonical form (no trailing zeros), as the ccxt venue prints them. */
function canonical(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

let sim: VenueSimulator;
beforeAll(async () => {
  sim = createVenueSimulator(
    {},
    {
      wsRecordings: SPOT_WS_FILES,
      exchangeInfo: SPOT_EXCHANGE_INFO,
      csv: [{ symbol: 'XRPETH', kind: 'aggTrades', path: XRPETH_AGG_CSV }],
    },
  );
  await sim.start();
});
afterAll(async () => {
  await sim.stop();
});

function binanceVia(restUrl: string, pageLimit = 1000) {
  return createCcxtVenue(
    {},
    {
      exchange: 'binance',
      marketTypes: ['spot'],
      hostOverrides: { 'https://api.binance.com': restUrl },
      pageLimit,
    },
  );
}

const SINCE = Date.UTC(2024, 7, 8, 23, 50);
const UNTIL = Date.UTC(2024, 7, 9, 1);

describe('ccxt venue: ccxt.binance against the venue simulator', () => {
  it('lists the recorded exchangeInfo as SymbolInfo', async () => {
    const venue = binanceVia(sim.restUrl);
    const symbols = await venue.listSymbols();
    expect(symbols).toHaveLength(1695);
    const btc = symbols.find((s) => s.marketId === 'BTC/USDT')!;
    expect(btc).toMatchObject({
      exchangeId: 'BINANCE',
      venueSymbol: 'BTCUSDT',
      marketType: MarketType.MARKET_TYPE_SPOT,
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      tickSize: '0.01',
      lotSize: '0.00001',
      status: 'TRADING',
    });
    expect(btc.supportedPeriods).toContain('1m');
    expect(symbols.find((s) => s.marketId === 'XRP/ETH')).toMatchObject({
      tickSize: '0.0000001',
      lotSize: '1',
    });
    expect(symbols.find((s) => s.marketId === 'ADA/BTC')).toMatchObject({
      tickSize: '0.00000001',
      lotSize: '0.1',
    });
  });

  it('backfills 1m bars page by page, equal to the venue klines', async () => {
    const venue = binanceVia(sim.restUrl, 5);
    const pages = [];
    for await (const page of venue.backfillBars('BTC/USDT', '1m', { sinceMs: SINCE, untilMs: UNTIL }))
      pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    const bars = pages.flat();
    const klines = (await (
      await fetch(`${sim.restUrl}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${SINCE}`)
    ).json()) as Array<[number, string, string, string, string, string]>;
    expect(bars.map((b) => [b.openTimeUs, b.open, b.high, b.low, b.close, b.volume])).toEqual(
      klines.map((k) => [k[0] * 1000, ...k.slice(1, 6).map((v) => canonical(String(v)))]),
    );
    expect(bars.every((b, i) => i === 0 || b.openTimeUs === bars[i - 1]!.openTimeUs! + 60_000_000)).toBe(
      true,
    );
    expect(bars[0]!.closeTimeUs).toBe(bars[0]!.openTimeUs! + 60_000_000);
  });

  it('backfills a whole illiquid day of XRP/ETH trades across empty hours, equal to the CSV', async () => {
    const venue = binanceVia(sim.restUrl);
    const trades: TradeInit[] = [];
    for await (const page of venue.backfillTrades('XRP/ETH', {
      sinceMs: Date.UTC(2019, 9, 11),
      untilMs: Date.UTC(2019, 9, 12),
    })) {
      trades.push(...page);
    }
    const csv = [];
    for await (const row of readAggTradesCsv(XRPETH_AGG_CSV)) csv.push(row);
    expect(trades).toHaveLength(5929);
    expect(trades.map((t) => [t.tradeId, t.price, t.quantity, t.timeUs, t.aggressor])).toEqual(
      csv.map((r) => [
        String(r.aggId),
        canonical(r.price),
        canonical(r.qty),
        r.timeUs,
        r.isBuyerMaker ? 2 : 1,
      ]),
    );
    expect(trades.reduce((n, t) => n + (t.tradeCount ?? 0), 0)).toBe(6922);
  });

  it('pages BTC/USDT trades by time without gaps or duplicates', async () => {
    const venue = binanceVia(sim.restUrl, 500);
    const ids: number[] = [];
    let executions = 0;
    for await (const page of venue.backfillTrades('BTC/USDT', { sinceMs: SINCE, untilMs: UNTIL })) {
      for (const t of page) {
        ids.push(Number(t.tradeId));
        executions += t.tradeCount ?? 0;
      }
    }
    expect(executions).toBe(19904);
    expect(ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1)).toBe(true);
  });

  it('finds the earliest time the venue has data for', async () => {
    const venue = binanceVia(sim.restUrl);
    expect(await venue.earliestTime('BTC/USDT')).toBe(Date.UTC(2024, 7, 8) * 1000);
    expect(await venue.earliestTime('XRP/ETH')).toBe(Date.UTC(2019, 9, 11) * 1000);
    expect(await venue.earliestTime('ETH/USDT')).toBe(0);
  });

  it('says what is valid for an unknown symbol or period', async () => {
    const venue = binanceVia(sim.restUrl);
    const bars = venue.backfillBars('NOPE/USDT', '1m', { sinceMs: SINCE, untilMs: UNTIL });
    await expect(bars.next()).rejects.toThrow(/no market "NOPE\/USDT"/);
    const period = venue.backfillBars('BTC/USDT', '7m', { sinceMs: SINCE, untilMs: UNTIL });
    await expect(period.next()).rejects.toBeInstanceOf(InvalidInputError);
    expect(() => createCcxtVenue({}, { exchange: 'nosuchexchange' })).toThrow(/unknown ccxt exchange/);
  });

  it('surfaces the venue 429 as a retriable error', async () => {
    const tight = createVenueSimulator(
      {},
      { wsRecordings: [SPOT_WS_FILES[1]!], exchangeInfo: SPOT_EXCHANGE_INFO, weightLimit: 21 },
    );
    await tight.start();
    try {
      const venue = binanceVia(tight.restUrl);
      const pages = venue.backfillBars('BTC/USDT', '1m', { sinceMs: SINCE, untilMs: UNTIL });
      const err = await pages.next().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CcxtVenueError);
      expect((err as CcxtVenueError).retriable).toBe(true);
    } finally {
      await tight.stop();
    }
  });
});
