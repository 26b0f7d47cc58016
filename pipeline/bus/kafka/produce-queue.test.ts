import { describe, expect, it } from 'vitest';
import type { BusRecord } from '../types.ts';
import { createProduceQueue } from './produce-queue.ts';

const record = (n: number): BusRecord => ({ topic: 't', key: `k${n % 3}`, value: new Uint8Array([n]) });

describe('createProduceQueue', () => {
  it('sends the first call at once and merges calls made meanwhile, in call order', async () => {
    const sends: number[][] = [];
    let release: () => void = () => {};
    const produce = createProduceQueue(async (records) => {
      sends.push(records.map((r) => r.value[0]!));
      if (sends.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = produce([record(0), record(1)]);
    const later = [produce([record(2)]), produce([record(3), record(4)]), produce([record(5)])];
    expect(sends).toEqual([[0, 1]]);
    release();
    await Promise.all([first, ...later]);
    expect(sends).toEqual([
      [0, 1],
      [2, 3, 4, 5],
    ]);
  });

  it('rejects every call of a failed send and keeps working afterwards', async () => {
    let fail = true;
    let release: () => void = () => {};
    let calls = 0;
    const produce = createProduceQueue(async () => {
      calls++;
      if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
      if (calls === 2 && fail) throw new Error('broker said no');
    });
    const first = produce([record(0)]);
    const a = produce([record(1)]);
    const b = produce([record(2)]);
    release();
    await first;
    await expect(a).rejects.toThrow('broker said no');
    await expect(b).rejects.toThrow('broker said no');
    fail = false;
    await expect(produce([record(3)])).resolves.toBeUndefined();
    expect(calls).toBe(3);
  });
});
