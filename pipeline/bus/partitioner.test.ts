import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from './partitioner.ts';

const require = createRequire(import.meta.url);
/** kafkajs' own Java-compatible murmur2 (what its DefaultPartitioner hashes with). */
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer,
) => number;

describe('murmur2', () => {
  // The vectors of Kafka's own UtilsTest.testMurmur2.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s like the Java client', (key, expected) => {
    expect(murmur2(new TextEncoder().encode(key))).toBe(expected);
  });

  it('agrees with kafkajs on series keys, so both backends partition alike', () => {
    for (const venue of ['BINANCE', 'BINANCE_USDM', 'KRAKEN', 'BÖRSE']) {
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'XRPETH', 'SOL/USDT', '']) {
        const key = `${venue}:${symbol}`;
        expect(murmur2(new TextEncoder().encode(key))).toBe(kafkajsMurmur2(Buffer.from(key)));
        expect(partitionForKey(key, 12)).toBe((kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % 12);
      }
    }
  });
});
