/**
 * The text path: decimal strings in, decimal strings out, as the wire contract wants them
 * (proto/quantforge/v1/market.proto): no exponent, no leading zeros, no trailing zeros past the
 * point. Binance prints `"61837.63000000"`; we carry `"61837.63"`, the same value. For stages that
 * pass venue text on (the normalizers) without a bigint per value; arithmetic beyond 2^53 goes
 * through BigInt, never float64. The bigint path (bigint.ts) gives the same results
 * (paths.test.ts checks them against each other).
 */

/**
 * Canonical form of a plain decimal string, or `null` when `s` is not one
 * (`-?digits[.digits]`; no exponent, no sign `+`, no spaces). Any number of digits: the
 * caller decides what range makes sense (see canonicalDecimal in bigint.ts for the throwing,
 * 18-decimal form).
 * @example tryCanonicalDecimal('61837.63000000') === '61837.63'; tryCanonicalDecimal('1e5') === null
 */
export function tryCanonicalDecimal(s: string): string | null {
  const n = s.length;
  if (n === 0) return null;
  let i = s.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const intStart = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i === intStart) return null;
  if (i === n) {
    const whole = stripLeadingZeros(s, intStart);
    return whole === '-0' ? '0' : whole;
  }
  if (s.charCodeAt(i) !== 46 /* . */ || i === n - 1) return null;
  const dot = i;
  let lastNonZero = dot;
  for (i = dot + 1; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    if (c !== 48) lastNonZero = i;
  }
  const head = stripLeadingZeros(s.slice(0, dot), intStart);
  if (lastNonZero === dot) return head === '-0' ? '0' : head;
  // Fast path: nothing to change.
  if (lastNonZero === n - 1 && head.length === dot) return s;
  return `${head}${s.slice(dot, lastNonZero + 1)}`;
}

function stripLeadingZeros(intPart: string, signLen: number): string {
  let j = signLen;
  while (j < intPart.length - 1 && intPart.charCodeAt(j) === 48) j++;
  if (j === signLen) return intPart;
  return `${intPart.slice(0, signLen)}${intPart.slice(j)}`;
}

/** A decimal as an integer and a count of fractional digits. */
interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

function toScaled(s: string): Scaled {
  const dot = s.indexOf('.');
  if (dot < 0) return { units: BigInt(s), scale: 0 };
  return { units: BigInt(s.slice(0, dot) + s.slice(dot + 1)), scale: s.length - dot - 1 };
}

function fromScaled(units: bigint, scale: number): string {
  const neg = units < 0n;
  let digits = (neg ? -units : units).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  const out = tryCanonicalDecimal(digits) ?? digits;
  return neg && out !== '0' ? `-${out}` : out;
}

/** Digits of a canonical decimal without its point, and the count of fractional digits. */
function splitDigits(s: string): { digits: string; scale: number } {
  const dot = s.indexOf('.');
  return dot < 0
    ? { digits: s, scale: 0 }
    : { digits: s.slice(0, dot) + s.slice(dot + 1), scale: s.length - dot - 1 };
}

/** Places a point `scale` digits from the right of a non-negative integer string, canonically. */
function placePoint(digits: string, scale: number): string {
  if (scale === 0) return digits;
  const padded = digits.length <= scale ? '0'.repeat(scale - digits.length + 1) + digits : digits;
  return tryCanonicalDecimal(
    `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`,
  )!;
}

/**
 * Exact product of two canonical decimal strings, canonical.
 * @example mulDecimalText('61837.63', '0.02') === '1236.7526'
 */
export function mulDecimalText(a: string, b: string): string {
  // Hot path (a trade's price * quantity): when the integer product stays below 2^53, a float64
  // multiplication of the two integers is exact and ~5x cheaper than BigInt.
  const x = splitDigits(a);
  const y = splitDigits(b);
  if (x.digits.length <= 15 && y.digits.length <= 15) {
    const product = Number(x.digits) * Number(y.digits);
    if (Number.isSafeInteger(product)) {
      const neg = product < 0;
      const out = placePoint(String(neg ? -product : product), x.scale + y.scale);
      return neg && out !== '0' ? `-${out}` : out;
    }
  }
  return fromScaled(BigInt(x.digits) * BigInt(y.digits), x.scale + y.scale);
}

/** Exact difference `a - b` of two canonical decimal strings, canonical. */
export function subDecimalText(a: string, b: string): string {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const xu = x.units * 10n ** BigInt(scale - x.scale);
  const yu = y.units * 10n ** BigInt(scale - y.scale);
  return fromScaled(xu - yu, scale);
}
