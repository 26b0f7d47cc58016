import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { channelOf, parseStreamName, rawTopic, rawTopics } from './streams.ts';

describe('stream names', () => {
  it.each([
    ['btcusdt@trade', 'BTCUSDT', 'trade', 'trade'],
    ['btcusdt@aggTrade', 'BTCUSDT', 'aggTrade', 'aggTrade'],
    ['btcusdt@kline_1m', 'BTCUSDT', 'kline_1m', 'kline'],
    ['btcusd_perp@depth@0ms', 'BTCUSD_PERP', 'depth@0ms', 'depth'],
    ['ethusdt@depth20@100ms', 'ETHUSDT', 'depth20@100ms', 'depth'],
    ['!ticker@arr', '', '!ticker@arr', 'ticker'],
    ['!bookTicker', '', '!bookTicker', 'bookTicker'],
    ['btcusdt@markPrice@1s', 'BTCUSDT', 'markPrice@1s', 'unknown'],
    ['garbage', '', 'garbage', 'unknown'],
  ])('%s', (name, symbol, stream, channel) => {
    expect(parseStreamName(name)).toEqual({ symbol, stream, channel });
    if (stream !== 'garbage') expect(channelOf(stream)).toBe(channel);
  });

  it('raw topics of the normalized channels are the ones deploy/topics.yaml declares', () => {
    const doc = parse(
      readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'deploy', 'topics.yaml'), 'utf8'),
    ) as { topics: { name: string; expand?: { venue: string[]; stream: string[] } }[] };
    const raw = doc.topics.find((t) => t.name === 'raw.{venue}.{stream}')!;
    const declared = raw.expand!.venue.flatMap((v) => raw.expand!.stream.map((s) => `raw.${v}.${s}`));
    for (const venue of ['BINANCE', 'BINANCE_USDM', 'BINANCE_COINM']) {
      for (const channel of ['trade', 'aggTrade', 'kline', 'bookTicker', 'ticker'] as const) {
        expect(declared).toContain(rawTopic(venue, channel));
      }
    }
    expect(rawTopics('BINANCE_USDM')).toEqual([
      'raw.binance_usdm.trade',
      'raw.binance_usdm.aggTrade',
      'raw.binance_usdm.kline',
      'raw.binance_usdm.bookTicker',
      'raw.binance_usdm.ticker',
      'raw.binance_usdm.depth',
      'raw.binance_usdm.unknown',
    ]);
  });
});
