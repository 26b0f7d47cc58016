import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createLogger } from '../../../core/logger.ts';
import { EnvelopeCodec, TradeCodec } from '../../../proto/index.ts';
import { recordedData, until } from '../../../test/support/index.ts';
import { createEmbeddedBus } from '../../bus/index.ts';
import { DLQ_HEADERS } from '../../bus/types.ts';
import {
  type BinanceConfigInput,
  BinanceNetworkError,
  createBinanceNormalizer,
  createBinanceVenue,
} from './index.ts';
import { readRecording } from './testing/recordings.ts';

const logger = createLogger({ name: 'binance-test', level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A local server speaking Binance's protocol: /stream over ws, /api/v3/exchangeInfo over http. */
async function startFakeBinance(frames: readonly string[]) {
  const http = createServer((req, res) => {
    if (req.url === '/api/v3/exchangeInfo') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-mbx-used-weight-1m': '20' });
      res.end(readFileSync(recordedData('rest', 'binance-spot-exchange-info-20211022.json')));
    } else {
      res.writeHead(404).end('{"code":-1,"msg":"no"}');
    }
  });
  const wss = new WebSocketServer({ server: http });
  const urls: string[] = [];
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    for (const f of frames) ws.send(f);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => r());
      }),
  );
  const port = (http.address() as AddressInfo).port;
  return { ws: `ws://127.0.0.1:${port}`, rest: `http://127.0.0.1:${port}`, urls };
}

describe('createBinanceVenue', () => {
  it('live path end to end: recorded frames over ws -> raw topics -> normalizer -> norm.trade (embedded bus)', async () => {
    const recorded = readRecording('binance-ws-recorded', 'spot', 'btcusdt_20240808.gz')
      .map((f) => Buffer.from(f.data).toString())
      .filter((s) => s.startsWith('{"stream"'));
    const poison = '{"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":"x"}}';
    const server = await startFakeBinance([...recorded, poison]);
    const bus = createEmbeddedBus({ logger });
    cleanups.push(() => bus.close());

    const venue = createBinanceVenue(
      { bus, logger },
      {
        market: 'spot',
        symbols: ['btcusdt'],
        streams: ['trade', 'bookTicker', 'depth@100ms'],
        wsBaseUrl: server.ws,
        restBaseUrl: server.rest,
      },
    );
    expect(venue.id).toBe('BINANCE');
    await venue.start();
    cleanups.push(() => venue.stop());
    expect(server.urls).toEqual(['/stream?streams=btcusdt@trade/btcusdt@bookTicker/btcusdt@depth@100ms']);
    await until(() => venue.stats().ws.frames === recorded.length + 1, 'all frames');
    await venue.stop();
    expect(venue.stats().ingest).toMatchObject({
      frames: recorded.length + 1,
      produced: recorded.length + 1,
    });

    const normalizer = createBinanceNormalizer({ bus, logger }, { venues: ['BINANCE'] });
    await normalizer.start();
    cleanups.push(() => normalizer.stop());
    const tradeIds: string[] = [];
    const sub = await bus.subscribe({
      groupId: 'test-reader',
      topics: ['norm.trade'],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages)
          tradeIds.push(TradeCodec.decode(EnvelopeCodec.decode(m.value).payload).tradeId);
      },
    });
    cleanups.push(() => sub.stop());
    const dlq: string[] = [];
    const dsub = await bus.subscribe({
      groupId: 'test-dlq',
      topics: ['dlq.raw.binance.trade'],
      fromBeginning: true,
      handler: async (batch) => {
        for (const m of batch.messages)
          dlq.push(`${m.headers?.[DLQ_HEADERS.reasonCode]}: ${m.headers?.[DLQ_HEADERS.reasonMessage]}`);
      },
    });
    cleanups.push(() => dsub.stop());
    await until(() => tradeIds.length === 9757 && dlq.length === 1, 'normalized trades and the dead letter');
    expect(tradeIds[0]).toBe('3735683259');
    expect(tradeIds.at(-1)).toBe('3735693015');
    expect(dlq[0]).toMatch(/^schema: trade: t: /);
    // raw.binance.depth is kept but not consumed by the normalizer.
    expect(normalizer.stats()).toMatchObject({ deadLettered: 1, notNormalized: 0 });
  });

  it('symbols() reads exchangeInfo from the configured REST base URL', async () => {
    const server = await startFakeBinance([]);
    const venue = createBinanceVenue(
      { bus: createEmbeddedBus({ logger }), logger },
      { symbols: ['BTCUSDT'], wsBaseUrl: server.ws, restBaseUrl: server.rest },
    );
    const [btc] = await venue.symbols();
    expect(btc).toMatchObject({
      venueSymbol: 'BTCUSDT',
      marketId: 'BTC/USDT',
      tickSize: '0.01',
      lotSize: '0.00001',
    });
    expect(venue.http.usedWeight()).toBe(20);
  });

  it('says plainly when Binance cannot be reached', async () => {
    const server = await startFakeBinance([]);
    await cleanups.pop()!();
    const venue = createBinanceVenue(
      { bus: createEmbeddedBus({ logger }) },
      { symbols: ['BTCUSDT'], wsBaseUrl: server.ws },
    );
    await expect(venue.start()).rejects.toBeInstanceOf(BinanceNetworkError);
  });

  it('rejects bad config at build time, naming the key', () => {
    const bus = createEmbeddedBus({ logger });
    expect(() => createBinanceVenue({ bus }, { symbols: [] })).toThrow(/symbols/);
    expect(() => createBinanceVenue({ bus }, { symbols: ['BTCUSDT'], streams: ['kline_7m'] })).toThrow(
      /kline_<1s\|1m/,
    );
    const badMarket: unknown = { symbols: ['BTCUSDT'], market: 'options' };
    expect(() => createBinanceVenue({ bus }, badMarket as BinanceConfigInput)).toThrow(/market/);
    expect(() =>
      createBinanceVenue({ bus }, { symbols: ['BTCUSDT'], wsBaseUrl: 'stream.binance.com' }),
    ).toThrow(/absolute URL/);
    const v = createBinanceVenue(
      { bus },
      { market: 'usdm', symbols: ['btcusdt'], streams: ['aggTrade', 'kline_1m'] },
    );
    expect(v.id).toBe('BINANCE_USDM');
    expect(v.streams).toEqual(['btcusdt@aggTrade', 'btcusdt@kline_1m']);
  });
});
