import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createCachingPartitioner } from './partitioner.ts';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
  }));

describe('createCachingPartitioner', () => {
  it('places every key where kafkajs DefaultPartitioner does, also after the partition count changes', () => {
    const ours = createCachingPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const count of [1, 3, 8, 12, 8]) {
      const partitionMetadata = metadata(count);
      for (let i = 0; i < 300; i++) {
        const message = { key: `BINANCE:SYM${i % 97}USDT`, value: null };
        const args = { topic: 'norm.trade', partitionMetadata, message };
        expect(ours(args)).toBe(theirs(args));
      }
      const bufferKey = {
        topic: 't',
        partitionMetadata,
        message: { key: Buffer.from('KRAKEN:XBTUSD'), value: null },
      };
      expect(ours(bufferKey)).toBe(theirs(bufferKey));
    }
  });

  it('keeps an explicit partition and spreads keyless records', () => {
    const ours = createCachingPartitioner();
    const partitionMetadata = metadata(4);
    expect(ours({ topic: 't', partitionMetadata, message: { key: 'a', value: null, partition: 3 } })).toBe(3);
    const seen = new Set(
      Array.from({ length: 8 }, () =>
        ours({ topic: 't', partitionMetadata, message: { key: null, value: null } }),
      ),
    );
    expect(seen.size).toBe(4);
  });
});
