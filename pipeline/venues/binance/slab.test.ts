import { describe, expect, it } from 'vitest';
import { createSlabAllocator } from './slab.ts';

describe('createSlabAllocator', () => {
  it('hands out aligned, non-overlapping views of exactly the size asked', () => {
    const allocate = createSlabAllocator(4096);
    const sizes = [5, 100, 1, 300, 512, 7, 200, 64, 300, 450, 512, 33, 512, 500, 480, 512];
    const views = sizes.map((n) => allocate(n));
    views.forEach((v, i) => {
      expect(Buffer.isBuffer(v)).toBe(true);
      expect(v.byteOffset % 8).toBe(0);
      v.fill(i);
    });
    views.forEach((v, i) => {
      expect(v.every((b) => b === i)).toBe(true);
    });
    // ~4.5 KiB in all does not fit one 4 KiB slab: a second slab was started.
    expect(new Set(views.map((v) => v.buffer)).size).toBe(2);
  });

  it('gives a request above an eighth of a slab a buffer of its own', () => {
    const allocate = createSlabAllocator(4096);
    const small = allocate(10);
    const big = allocate(513);
    expect(big.length).toBe(513);
    expect(big.buffer).not.toBe(small.buffer);
    expect(allocate(10).buffer).toBe(small.buffer);
  });

  it('refuses a slab size that is not a whole number of at least 4096 bytes', () => {
    expect(() => createSlabAllocator(100)).toThrow(/>= 4096/);
    expect(() => createSlabAllocator(5000.5)).toThrow(/integer/);
  });
});
