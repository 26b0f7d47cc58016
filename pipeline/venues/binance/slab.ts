/**
 * Record buffers carved out of large slabs, for the hot paths that write one exactly-sized
 * envelope per frame. `Buffer.allocUnsafe` takes small buffers from Node's 8 KiB pool, which
 * refills (a new ArrayBuffer, createPool) every ~30 records of ~250 bytes; a slab of 1 MiB
 * refills every ~4,000, and a view of an ArrayBuffer is cheaper to make than allocUnsafe's.
 * Each new ArrayBuffer also costs V8 external-memory bookkeeping (GC work done right in the
 * allocating call): in CPU profiles of the Kafka pipeline bench (300k trades) refills took
 * ~35-50 ms with 256 KiB slabs and ~15-20 ms with 1 MiB ones, where the 8 KiB pool's took
 * ~190 ms in the normalizer alone. Views start 8-byte
 * aligned, as Node's pool does. A record keeps its whole slab alive, so only records that
 * travel in batches (bus records) should come from here; a request above an eighth of a slab
 * gets a buffer of its own.
 */

/** Returns an uninitialised Buffer of exactly `size` bytes: the caller writes every byte. */
export type SlabAllocator = (size: number) => Buffer;

/** Default slab size: 1 MiB. */
export const SLAB_BYTES = 1024 * 1024;

/** Creates an allocator handing out views of `slabBytes`-byte slabs. */
export function createSlabAllocator(slabBytes: number = SLAB_BYTES): SlabAllocator {
  if (!Number.isSafeInteger(slabBytes) || slabBytes < 4096)
    throw new RangeError(`slab size must be an integer >= 4096 bytes, got ${slabBytes}`);
  const ownAbove = slabBytes >>> 3;
  let slab = new ArrayBuffer(0);
  let used = 0;
  return function allocate(size: number): Buffer {
    if (size > ownAbove) return Buffer.allocUnsafe(size);
    if (used + size > slab.byteLength) {
      // allocUnsafeSlow: a fresh ArrayBuffer of exactly slabBytes, not zero-filled.
      slab = Buffer.allocUnsafeSlow(slabBytes).buffer as ArrayBuffer;
      used = 0;
    }
    const out = Buffer.from(slab, used, size);
    used = (used + size + 7) & ~7;
    return out;
  };
}
