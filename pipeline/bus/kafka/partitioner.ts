import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import { murmur2, partitionForKey } from '../partitioner.ts';

interface TopicKeys {
  count: number;
  readonly keys: Map<string, number>;
}

const KEY_CACHE_LIMIT = 100_000;

/**
 * kafkajs partitioner giving the same partitions as its DefaultPartitioner (Java-compatible
 * murmur2 of the key) but hashing each distinct string key once per topic: series keys are few
 * (`VENUE:SYMBOL`) and messages many, so the per-message cost is one Map lookup instead of a
 * Buffer allocation and a hash. Keyless records go round-robin.
 */
export const createCachingPartitioner: ICustomPartitioner = () => {
  const topics = new Map<string, TopicKeys>();
  let counter = 0;
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    const count = partitionMetadata.length;
    if (typeof message.partition === 'number') return message.partition;
    const key = message.key;
    if (key === null || key === undefined) return counter++ % count;
    if (typeof key !== 'string') return (murmur2(key) & 0x7fffffff) % count;
    let cached = topics.get(topic);
    if (cached === undefined || cached.count !== count || cached.keys.size >= KEY_CACHE_LIMIT) {
      cached = { count, keys: new Map() };
      topics.set(topic, cached);
    }
    let partition = cached.keys.get(key);
    if (partition === undefined) {
      partition = partitionForKey(key, count);
      cached.keys.set(key, partition);
    }
    return partition;
  };
};
