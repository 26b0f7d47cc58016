/**
 * Reads a combined-stream trade frame `{"stream":...,"data":{"e":"trade",...}}` as bytes into
 * a reusable {@link TradeFrameScan}: byte ranges of the strings, values of the integers. Keys may
 * come in any order and whitespace anywhere; unknown scalar keys are skipped. Anything else
 * (duplicate keys, escapes, nested values, wrong types, trailing bytes) makes it return false,
 * and the frame goes to JSON.parse.
 */

import { rangeEquals } from '../../../../proto/wire.ts';
import { scanNumber, scanned, scanString, skipBool, skipScalar, skipWs } from './json-scan.ts';

/** Fields of the trade last read; -1 marks absent. Ranges are `[start, end)` into the frame. */
export class TradeFrameScan {
  eS = -1;
  eE = -1;
  sS = -1;
  sE = -1;
  /** Is the symbol 7-bit ASCII? */
  sAscii = true;
  pS = -1;
  pE = -1;
  qS = -1;
  qE = -1;
  xS = -1;
  xE = -1;
  /** Trade id digits and value. */
  tS = -1;
  tE = -1;
  t = -1;
  /** Trade time `T` and event time `E`, ms. */
  tradeTime = -1;
  eventTime = -1;
  /** `m` and `M`: 1 true, 0 false, -1 absent. */
  m = -1;
  bestMatch = -1;
  /** Bit set of the number/bool keys seen (t T E m), to refuse duplicates. */
  seen = 0;

  reset(): void {
    this.eS = this.sS = this.pS = this.qS = this.xS = this.tS = -1;
    this.tradeTime = this.eventTime = this.m = this.bestMatch = -1;
    this.seen = 0;
  }
}

/** Reads the value of one-letter data key `key` at `pos`; returns the index after it or -1. */
function readField(f: TradeFrameScan, buf: Uint8Array, key: number, pos: number, end: number): number {
  const bit = key === 116 ? 1 : key === 84 ? 2 : key === 69 ? 4 : key === 109 ? 8 : 0;
  if (bit !== 0) {
    if ((f.seen & bit) !== 0) return -1;
    f.seen |= bit;
    if (bit === 8) {
      f.m = buf[pos] === 116 ? 1 : 0;
      return skipBool(buf, pos, end);
    }
    const after = scanNumber(buf, pos, end);
    if (after < 0 || scanned.uint < 0) return -1;
    if (bit === 1) {
      f.tS = pos;
      f.tE = after;
      f.t = scanned.uint;
    } else if (bit === 2) f.tradeTime = scanned.uint;
    else f.eventTime = scanned.uint;
    return after;
  }
  if (key === 77 /* M */) {
    if (f.bestMatch >= 0) return -1;
    f.bestMatch = buf[pos] === 116 ? 1 : 0;
    return skipBool(buf, pos, end);
  }
  if (buf[pos] !== 34) return -1;
  const close = scanString(buf, pos + 1, end);
  if (close < 0) return -1;
  const from = pos + 1;
  if (key === 101 /* e */) {
    if (f.eS >= 0) return -1;
    f.eS = from;
    f.eE = close;
  } else if (key === 115 /* s */) {
    if (f.sS >= 0) return -1;
    f.sS = from;
    f.sE = close;
    f.sAscii = scanned.ascii;
  } else if (key === 112 /* p */) {
    if (f.pS >= 0) return -1;
    f.pS = from;
    f.pE = close;
  } else if (key === 113 /* q */) {
    if (f.qS >= 0) return -1;
    f.qS = from;
    f.qE = close;
  } else {
    // X
    if (f.xS >= 0) return -1;
    f.xS = from;
    f.xE = close;
  }
  return close + 1;
}

/** One-letter data keys the trade reads: e s p q X t T E m M. */
const TRACKED = new Uint8Array(128);
for (const c of 'espqXtTEmM') TRACKED[c.charCodeAt(0)] = 1;

/** Reads the `data` object at `pos`; returns the index after it or -1. */
function readData(f: TradeFrameScan, buf: Uint8Array, pos: number, end: number): number {
  f.reset();
  pos = skipWs(buf, pos + 1, end);
  if (buf[pos] === 125) return pos + 1;
  for (;;) {
    if (buf[pos] !== 34) return -1;
    const close = scanString(buf, pos + 1, end);
    if (close < 0) return -1;
    const key = close === pos + 2 ? buf[pos + 1]! : 0;
    pos = skipWs(buf, close + 1, end);
    if (buf[pos] !== 58) return -1;
    pos = skipWs(buf, pos + 1, end);
    pos = key < 128 && TRACKED[key] === 1 ? readField(f, buf, key, pos, end) : skipScalar(buf, pos, end);
    if (pos < 0) return -1;
    pos = skipWs(buf, pos, end);
    if (buf[pos] === 125) return pos + 1;
    if (buf[pos] !== 44) return -1;
    pos = skipWs(buf, pos + 1, end);
  }
}

const STREAM = Buffer.from('stream');
const DATA = Buffer.from('data');

/**
 * Reads `{"stream":...,"data":{...}}` (both keys required, as normalizeFrame unwraps only then)
 * into `f`; true when the whole frame was read.
 */
export function scanTradeFrame(f: TradeFrameScan, buf: Uint8Array, start: number, end: number): boolean {
  let pos = skipWs(buf, start, end);
  if (buf[pos] !== 123) return false;
  pos = skipWs(buf, pos + 1, end);
  let haveStream = false;
  let haveData = false;
  for (;;) {
    if (buf[pos] !== 34) return false;
    const close = scanString(buf, pos + 1, end);
    if (close < 0) return false;
    const isData = rangeEquals(buf, pos + 1, close, DATA);
    const isStream = !isData && rangeEquals(buf, pos + 1, close, STREAM);
    pos = skipWs(buf, close + 1, end);
    if (buf[pos] !== 58) return false;
    pos = skipWs(buf, pos + 1, end);
    if (isData) {
      if (haveData || buf[pos] !== 123) return false;
      haveData = true;
      pos = readData(f, buf, pos, end);
    } else {
      if (isStream) {
        if (haveStream) return false;
        haveStream = true;
      }
      pos = skipScalar(buf, pos, end);
    }
    if (pos < 0) return false;
    pos = skipWs(buf, pos, end);
    if (buf[pos] === 125) break;
    if (buf[pos] !== 44) return false;
    pos = skipWs(buf, pos + 1, end);
  }
  return haveStream && haveData && skipWs(buf, pos + 1, end) === end;
}
