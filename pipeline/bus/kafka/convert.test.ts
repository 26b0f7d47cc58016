import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../types.ts';
import { toTopicMessageChunks } from './convert.ts';

const record = (key: string, i: number): BusRecord => ({
  topic: 'norm.trade',
  key,
  value: new TextEncoder().encode(`v${i}`),
});
const sizes = (chunks: ReturnType<typeof toTopicMessageChunks>) =>
  chunks.map((c) => c.reduce((n, t) => n + t.messages.length, 0));

describe('toTopicMessageChunks', () => {
  it('caps the records of one key per request, keeping their order', () => {
    const records = Array.from({ length: 2500 }, (_, i) => record('BINANCE:BTCUSDT', i));
    const chunks = toTopicMessageChunks(records, 900_000, 1000);
    expect(sizes(chunks)).toEqual([1000, 1000, 500]);
    const values = chunks.flatMap((c) => c.flatMap((t) => t.messages.map((m) => String(m.value))));
    expect(values).toEqual(records.map((_, i) => `v${i}`));
  });

  it('does not split requests whose keys are each under the cap', () => {
    const records = Array.from({ length: 3000 }, (_, i) => record(`k${i % 4}`, i));
    expect(sizes(toTopicMessageChunks(records, 900_000, 1000))).toEqual([3000]);
  });

  it('still splits by bytes', () => {
    const records = Array.from({ length: 100 }, (_, i) => record(`k${i}`, i));
    // ~80 bytes per record with the overhead: 10 per 800-byte request.
    expect(sizes(toTopicMessageChunks(records, 800, 1000)).length).toBeGreaterThan(5);
  });
});
