/**
 * The first try of the trade hot path: a trade frame exactly as Binance writes it, compact
 * (`{"stream":"...","data":{"e":"trade",...}}`, no whitespace, one-letter data keys, stream
 * first), read in one pass that also reads the price and quantity as canonical decimals.
 * It accepts a subset of what {@link scanTradeFrame} accepts and fills the same fields; anything
 * else (whitespace, other key orders or lengths, escapes, numbers that are not plain integers,
 * decimals that are not `digits[.digits]`, duplicates) returns false, and the frame takes
 * scanTradeFrame, then, if need be, JSON.parse, exactly as before.
 */

import type { DecimalRange } from './decimal-bytes.ts';
import { scanned, scanString, skipScalar } from './json-scan.ts';
import type { TradeFrameScan } from './trade-scan.ts';

/** What a scan leaves beside its return value (one per scanner: no tuple per field). */
interface Scratch {
  /** The end of the integer {@link uintAt} read last. */
  uintEnd: number;
  /** The value of the boolean {@link boolAt} read last (1 or 0). */
  boolValue: number;
}

/**
 * The plain unsigned integer at `pos` (`0` or `[1-9][0-9]*`, at most 16 digits, below 2^53):
 * its value, with its end in `s.uintEnd`; -1 otherwise. The caller requires `,` or `}`
 * next, so `1.5`, `1e3` or `1 ` are declined there.
 */
function uintAt(s: Scratch, buf: Uint8Array, pos: number, end: number): number {
  let value = 0;
  let i = pos;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  const n = i - pos;
  if (n === 0 || n > 16 || (n > 1 && buf[pos] === 48) || !Number.isSafeInteger(value)) return -1;
  s.uintEnd = i;
  return value;
}

/** Index after `true` or `false` at `pos`, with the value in `s.boolValue`; -1 otherwise. */
function boolAt(s: Scratch, buf: Uint8Array, pos: number, end: number): number {
  if (buf[pos] === 116) {
    if (pos + 4 > end || buf[pos + 1] !== 114 || buf[pos + 2] !== 117 || buf[pos + 3] !== 101) return -1;
    s.boolValue = 1;
    return pos + 4;
  }
  if (pos + 5 > end || buf[pos] !== 102 || buf[pos + 1] !== 97 || buf[pos + 2] !== 108) return -1;
  if (buf[pos + 3] !== 115 || buf[pos + 4] !== 101) return -1;
  s.boolValue = 0;
  return pos + 5;
}

/** Does `buf[pos..]` start `","data":{`? */
function dataOpens(buf: Uint8Array, pos: number): boolean {
  return (
    buf[pos] === 34 &&
    buf[pos + 1] === 44 &&
    buf[pos + 2] === 34 &&
    buf[pos + 3] === 100 &&
    buf[pos + 4] === 97 &&
    buf[pos + 5] === 116 &&
    buf[pos + 6] === 97 &&
    buf[pos + 7] === 34 &&
    buf[pos + 8] === 58 &&
    buf[pos + 9] === 123
  );
}

/**
 * Reads the compact trade frame at `buf[start, end)` into `f`, `price` and `quantity` (the
 * decimals only when `p` / `q` are present); false when the frame is not in that form.
 */
export type CompactTradeScanner = (
  f: TradeFrameScan,
  price: DecimalRange,
  quantity: DecimalRange,
  buf: Uint8Array,
  start: number,
  end: number,
) => boolean;

/** A new {@link CompactTradeScanner} with its own scratch state. */
export function createCompactTradeScanner(): CompactTradeScanner {
  const scratch: Scratch = { uintEnd: 0, boolValue: 0 };
  return (f, price, quantity, buf, start, end) =>
    scanCompactTrade(scratch, f, price, quantity, buf, start, end);
}

function scanCompactTrade(
  s: Scratch,
  f: TradeFrameScan,
  price: DecimalRange,
  quantity: DecimalRange,
  buf: Uint8Array,
  start: number,
  end: number,
): boolean {
  // {"stream":"
  if (end - start < 24 || buf[start] !== 123 || buf[start + 1] !== 34 || buf[start + 2] !== 115) return false;
  if (buf[start + 3] !== 116 || buf[start + 4] !== 114 || buf[start + 5] !== 101) return false;
  if (buf[start + 6] !== 97 || buf[start + 7] !== 109 || buf[start + 8] !== 34) return false;
  if (buf[start + 9] !== 58 || buf[start + 10] !== 34) return false;
  let pos = scanString(buf, start + 11, end);
  if (pos < 0 || !dataOpens(buf, pos)) return false;
  pos += 10;
  f.reset();
  for (;;) {
    // "k": with a one-byte key
    if (buf[pos] !== 34 || buf[pos + 2] !== 34 || buf[pos + 3] !== 58) return false;
    const key = buf[pos + 1]!;
    const at = pos + 4;
    if (key === 112 /* p */ || key === 113 /* q */) {
      if (buf[at] !== 34) return false;
      const d = key === 112 ? price : quantity;
      if ((key === 112 ? f.pS : f.qS) >= 0) return false;
      const close = d.scan(buf, at + 1, end);
      if (close < 0) return false;
      if (key === 112) {
        f.pS = at + 1;
        f.pE = close;
      } else {
        f.qS = at + 1;
        f.qE = close;
      }
      pos = close + 1;
    } else if (key === 116 /* t */ || key === 84 /* T */ || key === 69 /* E */) {
      const bit = key === 116 ? 1 : key === 84 ? 2 : 4;
      if ((f.seen & bit) !== 0) return false;
      f.seen |= bit;
      const value = uintAt(s, buf, at, end);
      if (value < 0) return false;
      if (bit === 1) {
        f.tS = at;
        f.tE = s.uintEnd;
        f.t = value;
      } else if (bit === 2) f.tradeTime = value;
      else f.eventTime = value;
      pos = s.uintEnd;
    } else if (key === 109 /* m */ || key === 77 /* M */) {
      if (key === 109 ? (f.seen & 8) !== 0 : f.bestMatch >= 0) return false;
      pos = boolAt(s, buf, at, end);
      if (pos < 0) return false;
      if (key === 109) {
        f.seen |= 8;
        f.m = s.boolValue;
      } else f.bestMatch = s.boolValue;
    } else if (key === 101 /* e */ || key === 115 /* s */ || key === 88 /* X */) {
      if (buf[at] !== 34) return false;
      const close = scanString(buf, at + 1, end);
      if (close < 0) return false;
      if (key === 101) {
        if (f.eS >= 0) return false;
        f.eS = at + 1;
        f.eE = close;
      } else if (key === 115) {
        if (f.sS >= 0) return false;
        f.sS = at + 1;
        f.sE = close;
        f.sAscii = scanned.ascii;
      } else {
        if (f.xS >= 0) return false;
        f.xS = at + 1;
        f.xE = close;
      }
      pos = close + 1;
    } else {
      // Another one-byte key (Binance's `b`, `a`): any scalar. Quote, backslash, control and
      // non-ASCII bytes are left to the general scanner.
      if (key < 32 || key >= 127 || key === 34 || key === 92) return false;
      const c = buf[at]!;
      if (c >= 48 && c <= 57) {
        // Binance's are order ids: plain integers (anything longer goes the general way).
        if (uintAt(s, buf, at, end) < 0) return false;
        pos = s.uintEnd;
      } else {
        pos = skipScalar(buf, at, end);
        if (pos < 0) return false;
      }
    }
    const c = buf[pos];
    if (c === 44) {
      pos++;
      continue;
    }
    if (c !== 125) return false;
    return pos + 2 === end && buf[pos + 1] === 125;
  }
}
