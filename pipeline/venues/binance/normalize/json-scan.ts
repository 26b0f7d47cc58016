/**
 * A strict byte scanner for the JSON subset Binance sends on hot streams: objects of strings
 * without escapes, plain numbers, booleans and null. It never guesses: each function returns
 * -1 for anything outside that subset (escapes, nested arrays, malformed input) and the caller
 * then hands the frame to JSON.parse, so accepted input always means what JSON.parse says.
 */

/** Result slot of {@link scanNumber}: the value when the number is a plain safe unsigned integer, else -1. */
export const scanned = { uint: -1, ascii: true };

/** Skips JSON whitespace from `pos`. */
export function skipWs(buf: Uint8Array, pos: number, end: number): number {
  while (pos < end) {
    const c = buf[pos]!;
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    pos++;
  }
  return pos;
}

/**
 * From just after an opening quote, the index of the closing quote; -1 on an escape, a control
 * character or no closing quote. Sets `scanned.ascii`.
 */
export function scanString(buf: Uint8Array, pos: number, end: number): number {
  let ascii = true;
  for (; pos < end; pos++) {
    const c = buf[pos]!;
    if (c === 34) {
      scanned.ascii = ascii;
      return pos;
    }
    if (c === 92 || c < 32) return -1;
    if (c >= 128) ascii = false;
  }
  return -1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

/**
 * Scans a JSON number from `pos`; returns the index after it, or -1 when it is not valid JSON.
 * Sets `scanned.uint` to its value when it is a plain unsigned integer below 2^53, else -1.
 */
export function scanNumber(buf: Uint8Array, pos: number, end: number): number {
  let plain = true;
  if (buf[pos] === 45 /* - */) {
    plain = false;
    pos++;
  }
  const start = pos;
  let value = 0;
  if (buf[pos] === 48) pos++;
  else {
    while (pos < end && isDigit(buf[pos])) {
      value = value * 10 + (buf[pos]! - 48);
      pos++;
    }
  }
  if (pos === start) return -1;
  if (pos - start > 16) plain = false;
  if (pos < end && buf[pos] === 46 /* . */) {
    plain = false;
    pos++;
    if (!isDigit(buf[pos])) return -1;
    while (pos < end && isDigit(buf[pos])) pos++;
  }
  if (pos < end && (buf[pos] === 101 || buf[pos] === 69) /* e E */) {
    plain = false;
    pos++;
    if (buf[pos] === 43 || buf[pos] === 45) pos++;
    if (!isDigit(buf[pos])) return -1;
    while (pos < end && isDigit(buf[pos])) pos++;
  }
  if (pos > end) return -1;
  scanned.uint = plain && Number.isSafeInteger(value) ? value : -1;
  return pos;
}

function literal(buf: Uint8Array, pos: number, end: number, word: string): number {
  if (pos + word.length > end) return -1;
  for (let i = 0; i < word.length; i++) if (buf[pos + i] !== word.charCodeAt(i)) return -1;
  return pos + word.length;
}

/** `true` at `pos` -> 1, `false` -> 0, anything else -> -1. Sets nothing; see {@link skipBool}. */
export function boolAt(buf: Uint8Array, pos: number): number {
  if (buf[pos] === 116) return 1;
  if (buf[pos] === 102) return 0;
  return -1;
}

/** Index after a `true`/`false` literal at `pos`, or -1. */
export function skipBool(buf: Uint8Array, pos: number, end: number): number {
  const b = boolAt(buf, pos);
  if (b < 0) return -1;
  return literal(buf, pos, end, b === 1 ? 'true' : 'false');
}

/** Index after a scalar (string, number, true, false, null) at `pos`, or -1 (objects and arrays included). */
export function skipScalar(buf: Uint8Array, pos: number, end: number): number {
  const c = buf[pos];
  if (c === 34) {
    const close = scanString(buf, pos + 1, end);
    return close < 0 ? -1 : close + 1;
  }
  if (c === 116 || c === 102) return skipBool(buf, pos, end);
  if (c === 110) return literal(buf, pos, end, 'null');
  if (c === 45 || isDigit(c)) return scanNumber(buf, pos, end);
  return -1;
}
