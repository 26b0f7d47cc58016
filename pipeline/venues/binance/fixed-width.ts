/**
 * Unrolled writers for the two fixed-width numbers every hot-path record holds: the 8-byte
 * varint of a µs timestamp (2^49 <= n < 2^56, i.e. 1987 to 4253) and 8 decimal digits of one
 * (half of its event-id digits). Same bytes as proto/wire.ts's writeVarint and writeDigits,
 * without their loops (raw-record.test.ts and trade-bytes.test.ts compare whole records).
 */

/** Smallest number whose varint takes 8 bytes (2^49). */
export const VARINT8_MIN = 562_949_953_421_312;
/** Smallest number whose varint takes 9 bytes (2^56). */
export const VARINT8_END = 72_057_594_037_927_936;

const TWO_32 = 4_294_967_296;

/** Writes the varint of `n` (VARINT8_MIN <= n < VARINT8_END, an integer) at `pos`; returns pos + 8. */
export function writeVarint8(buf: Uint8Array, pos: number, n: number): number {
  const lo = n >>> 0;
  const hi = (n - lo) / TWO_32; // < 2^24
  buf[pos] = (lo & 127) | 128;
  buf[pos + 1] = ((lo >>> 7) & 127) | 128;
  buf[pos + 2] = ((lo >>> 14) & 127) | 128;
  buf[pos + 3] = ((lo >>> 21) & 127) | 128;
  buf[pos + 4] = (lo >>> 28) | ((hi << 4) & 127) | 128;
  buf[pos + 5] = ((hi >>> 3) & 127) | 128;
  buf[pos + 6] = ((hi >>> 10) & 127) | 128;
  buf[pos + 7] = hi >>> 17;
  return pos + 8;
}

/** "00" .. "99" as ASCII pairs. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Writes `n` (0 <= n < 10^8, an integer) as exactly 8 digits, zero-padded, at `pos`; returns pos + 8. */
export function write8Digits(buf: Uint8Array, pos: number, n: number): number {
  let q = (n / 100) | 0;
  let r = (n - q * 100) * 2;
  buf[pos + 6] = PAIRS[r]!;
  buf[pos + 7] = PAIRS[r + 1]!;
  n = q;
  q = (n / 100) | 0;
  r = (n - q * 100) * 2;
  buf[pos + 4] = PAIRS[r]!;
  buf[pos + 5] = PAIRS[r + 1]!;
  n = q;
  q = (n / 100) | 0;
  r = (n - q * 100) * 2;
  buf[pos + 2] = PAIRS[r]!;
  buf[pos + 3] = PAIRS[r + 1]!;
  r = (q - ((q / 100) | 0) * 100) * 2;
  buf[pos] = PAIRS[r]!;
  buf[pos + 1] = PAIRS[r + 1]!;
  return pos + 8;
}

const E8 = 100_000_000;

/**
 * Writes a non-negative safe integer as exactly `count` digits (zero-padded; `count` at least
 * its digit count) at `pos`, two digits at a time; returns pos + count. Same bytes as
 * proto/wire.ts's writeDigits.
 */
export function writeDigitsFast(buf: Uint8Array, pos: number, n: number, count: number): number {
  let at = pos + count;
  while (n >= E8) {
    const hi = Math.floor(n / E8);
    write8Digits(buf, at - 8, n - hi * E8);
    at -= 8;
    n = hi;
  }
  // n < 10^8 now: a small integer.
  while (at - pos >= 2) {
    const q = (n / 100) | 0;
    const r = (n - q * 100) * 2;
    buf[at - 2] = PAIRS[r]!;
    buf[at - 1] = PAIRS[r + 1]!;
    at -= 2;
    n = q;
  }
  if (at > pos) buf[pos] = 48 + n;
  return pos + count;
}
