/**
 * Exact fixed-point decimals for hot paths: a value is a `bigint` holding the decimal
 * scaled by 10^18 (`SCALE`). Venue prices and sizes (Binance: at most 8 decimals) parse
 * exactly; sums stay exact; a product of two scaled values is a value at scale 36
 * (`SCALE * 2`), which is exact for any two inputs — divide it down only when formatting.
 *
 * Why bigint at a fixed scale (see bench/decimal.ts for the measurement): one `BigInt()`
 * parse per string and native `+`/`*`/`<` are within a small factor of a number-based
 * mantissa/exponent path, and they never overflow — a number path has to fall back to
 * bigint for every BTC quote volume anyway (price×qty at 16 decimals is > 2^53).
 */
import { DecimalError } from './errors.ts';

/** Decimal digits after the point held by a scaled value. */
export const SCALE = 18;
/** 10^SCALE as a bigint. */
export const ONE = 10n ** 18n;
/** The scale of a product of two scaled values (`a * b` without dividing). */
export const PRODUCT_SCALE = 36;

const ZEROS = '000000000000000000';
const POW10: bigint[] = [];
for (let i = 0; i <= 2 * SCALE + 1; i++) POW10.push(10n ** BigInt(i));

/**
 * Parses a plain decimal string (`"61837.63000000"`, `"-0.5"`, `"12"`, `".5"`) into a
 * value scaled by 10^18. Rejects exponents, spaces, empty strings and more than 18
 * significant fractional digits (trailing zeros past 18 are fine), with a DecimalError
 * that says what is valid.
 * @example parseDecimal('0.00000001') === 10_000_000_000n
 */
export function parseDecimal(text: string): bigint {
  const len = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i = 1;
  }
  let dot = -1;
  let digits = 0;
  // One scan validates and, while the digits fit a double exactly (<= 15), accumulates
  // the mantissa: one BigInt(number) * 10^k is cheaper than building a string for BigInt().
  let mantissa = 0;
  for (let j = i; j < len; j++) {
    const c = text.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      digits++;
      mantissa = mantissa * 10 + (c - 48);
    } else if (c === 46 && dot < 0) dot = j;
    else throw invalid(text);
  }
  if (digits === 0) throw invalid(text);
  const fracDigits = dot < 0 ? 0 : len - dot - 1;
  if (digits <= 15 && fracDigits <= SCALE) {
    const fast = BigInt(mantissa) * (POW10[SCALE - fracDigits] as bigint);
    return negative ? -fast : fast;
  }
  let intPart: string;
  let frac: string;
  if (dot < 0) {
    intPart = i === 0 ? text : text.slice(i);
    frac = '';
  } else {
    intPart = text.slice(i, dot);
    frac = text.slice(dot + 1);
    if (frac.length > SCALE) {
      // Digits past the 18th must all be zero, or the value cannot be held exactly.
      const extra = frac.slice(SCALE);
      for (let j = 0; j < extra.length; j++) {
        if (extra.charCodeAt(j) !== 48) {
          throw new DecimalError(
            text,
            `has more than ${SCALE} significant decimal places; at most ${SCALE} are held exactly`,
          );
        }
      }
      frac = frac.slice(0, SCALE);
    }
  }
  const value = BigInt((intPart || '0') + frac + ZEROS.slice(frac.length));
  return negative ? -value : value;
}

/**
 * Throws the DecimalError parseDecimal would throw for `text`, without building the value:
 * for stages that only pass a decimal on (and must refuse one no later stage could parse).
 * @example checkDecimal('61837.63') // ok; checkDecimal('1e5') throws
 */
export function checkDecimal(text: string): void {
  const len = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) i = 1;
  let dot = -1;
  let digits = 0;
  let lastSignificant = -1;
  for (let j = i; j < len; j++) {
    const c = text.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      digits++;
      if (c !== 48) lastSignificant = j;
    } else if (c === 46 && dot < 0) dot = j;
    else throw invalid(text);
  }
  if (digits === 0) throw invalid(text);
  if (dot >= 0 && lastSignificant - dot > SCALE) {
    throw new DecimalError(
      text,
      `has more than ${SCALE} significant decimal places; at most ${SCALE} are held exactly`,
    );
  }
}

function invalid(text: string): DecimalError {
  return new DecimalError(
    text,
    'is not a plain decimal number; valid: optional sign, digits, optional "." and digits (e.g. "61837.63", "-0.5"), no exponent or spaces',
  );
}

/** Like parseDecimal but returns `undefined` instead of throwing. */
export function tryParseDecimal(text: string): bigint | undefined {
  try {
    return parseDecimal(text);
  } catch {
    return undefined;
  }
}

/**
 * Formats a value held at `scale` decimals (default 18) canonically: no exponent, no
 * trailing zeros after the point, no point when whole, `"0"` for zero, `-` for negatives.
 * @example formatDecimal(parseDecimal('61837.63000000')) === '61837.63'
 */
export function formatDecimal(value: bigint, scale: number = SCALE): string {
  if (value === 0n) return '0';
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const pow = POW10[scale] ?? 10n ** BigInt(scale);
  const whole = abs / pow;
  let rest = abs - whole * pow;
  let out = whole.toString();
  if (rest !== 0n) {
    // Strip trailing zeros numerically (cheaper than on the string for typical 8-decimal values).
    let digits = scale;
    while (rest % 10n === 0n) {
      rest /= 10n;
      digits--;
    }
    const fracText = rest.toString();
    out += `.${'0'.repeat(digits - fracText.length)}${fracText}`;
  }
  return negative ? `-${out}` : out;
}

/** Canonical form of a decimal string: `canonicalDecimal('0.02000000') === '0.02'`. */
export function canonicalDecimal(text: string): string {
  return formatDecimal(parseDecimal(text));
}

/** a + b (both at scale 18). */
export function addDecimal(a: bigint, b: bigint): bigint {
  return a + b;
}

/** a - b (both at scale 18). */
export function subDecimal(a: bigint, b: bigint): bigint {
  return a - b;
}

/**
 * a × b at scale 36 (PRODUCT_SCALE), always exact: accumulate quote volumes at this scale
 * and format with `formatDecimal(sum, PRODUCT_SCALE)`.
 */
export function mulDecimalWide(a: bigint, b: bigint): bigint {
  return a * b;
}

/**
 * a × b at scale 18. Exact when the two inputs together have at most 18 decimals (e.g.
 * price 8 + quantity 8); otherwise throws rather than round silently.
 */
export function mulDecimal(a: bigint, b: bigint): bigint {
  const wide = a * b;
  const q = wide / ONE;
  if (q * ONE !== wide) {
    throw new DecimalError(
      `${formatDecimal(a)} * ${formatDecimal(b)}`,
      `needs more than ${SCALE} decimal places; use mulDecimalWide for an exact product at scale ${PRODUCT_SCALE}`,
    );
  }
  return q;
}

/** Converts a value at `fromScale` to scale 18; throws when digits would be lost. */
export function rescaleToDecimal(value: bigint, fromScale: number): bigint {
  if (fromScale === SCALE) return value;
  if (fromScale < SCALE) return value * (POW10[SCALE - fromScale] ?? 1n);
  const div = POW10[fromScale - SCALE] ?? 10n ** BigInt(fromScale - SCALE);
  const q = value / div;
  if (q * div !== value) {
    throw new DecimalError(formatDecimal(value, fromScale), `does not fit ${SCALE} decimal places exactly`);
  }
  return q;
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimal(a: bigint, b: bigint): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * a ÷ n (n a positive integer) rounded half-to-even at 18 decimals; exact whenever the
 * quotient terminates within 18 places (n with only factors 2 and 5, e.g. 5 or 20).
 */
export function divDecimalByInt(a: bigint, n: number): bigint {
  if (!Number.isInteger(n) || n <= 0) {
    throw new DecimalError(String(n), 'divisor must be a positive integer');
  }
  const d = BigInt(n);
  const negative = a < 0n;
  const abs = negative ? -a : a;
  let q = abs / d;
  const r2 = (abs - q * d) * 2n;
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) q += 1n;
  return negative ? -q : q;
}

/** The nearest float64 (for charts and indicators; never for money arithmetic). */
export function decimalToNumber(value: bigint, scale: number = SCALE): number {
  return Number(formatDecimal(value, scale));
}
