/**
 * Record buffers carved out of large slabs, for the hot paths that write one exactly-sized
 * envelope per frame. `Buffer.allocUnsafe` takes small buffers from Node's 8 KiB pool, which
 * refills (a new ArrayBuffer, createPool) every ~30 records of ~250 bytes; a slab of 256 KiB
 * refills every ~1,000, and a view of an ArrayBuffer is cheaper to make than allocUnsafe's.
 * Views start 8-byte aligned, as Node's pool does. A record keeps its whole slab alive, so
 * only records that travel in batches (bus records) should come from here; a request above an
 * eighth of a slab gets a buffer of its own.
 */

/** Returns an uninitialised Buffer of exactly `size` bytes: the caller writes every byte. */
export type SlabAllocator = (size: number) => Buffer;

/** Default slab size: 256 KiB. */
export const SLAB_BYTES = 256 * 1024;

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
