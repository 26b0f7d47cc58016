/**
 * Micro-benchmark behind the core/decimal representation choice: bigint at a fixed
 * scale of 18 vs a number mantissa/exponent path (exact while < 2^53, bigint fallback).
 * Workload per trade = what the bar builder does: parse price and qty, compare price
 * with high/low, add qty to volume, add price×qty to quote volume.
 * Run: node --import tsx bench/decimal.ts
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  tryCanonicalDecimal as canonicalText,
  mulDecimalText as mulText,
  parseDecimal,
  scanDecimalBytes,
} from '../core/decimal/index.ts';

const file = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'shared',
  'data',
  'trades',
  'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz',
);
const rows = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
const prices = rows.map((r) => r.split(',')[1] ?? '');
const qtys = rows.map((r) => r.split(',')[2] ?? '');

function bigintPath(): string {
  let high = -1n;
  let low = 1n << 200n;
  let vol = 0n;
  let quote = 0n;
  for (let i = 0; i < prices.length; i++) {
    const p = parseDecimal(prices[i]!);
    const q = parseDecimal(qtys[i]!);
    if (p > high) high = p;
    if (p < low) low = p;
    vol += q;
    quote += p * q;
  }
  return `${high}${low}${vol}${quote}`;
}

// Number path: mantissa as a number with a decimal exponent, trailing zeros trimmed at parse.
let mant = 0;
let exp = 0;
function parseNum(s: string): boolean {
  let m = 0;
  let e = 0;
  let seenDot = false;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) seenDot = true;
    else {
      m = m * 10 + (c - 48);
      digits++;
      if (seenDot) e++;
    }
  }
  if (digits > 15) return false;
  while (e > 0 && m % 10 === 0) {
    m /= 10;
    e--;
  }
  mant = m;
  exp = e;
  return true;
}
const P10 = Array.from({ length: 40 }, (_, i) => 10 ** i);
function numberPath(): string {
  let high = -1;
  let low = Number.POSITIVE_INFINITY;
  let volM = 0;
  let volE = 8;
  let quoteBig = 0n; // quote at scale 16 needs bigint: 6e12 * 1e6 > 2^53
  let fallbacks = 0;
  for (let i = 0; i < prices.length; i++) {
    parseNum(prices[i]!);
    const pm = mant;
    const pe = exp;
    parseNum(qtys[i]!);
    const qm = mant;
    const qe = exp;
    const pv = pm / P10[pe]!; // comparisons on a float are fine for ordering of exact 8-dp values
    if (pv > high) high = pv;
    if (pv < low) low = pv;
    const add = qm * P10[volE - qe]!;
    if (Number.isSafeInteger(volM + add)) volM += add;
    else {
      fallbacks++;
      volE = 8;
    }
    const prod = pm * qm;
    if (Number.isSafeInteger(prod)) quoteBig += BigInt(prod) * 10n ** BigInt(16 - pe - qe);
    else {
      fallbacks++;
      quoteBig += BigInt(pm) * BigInt(qm) * 10n ** BigInt(16 - pe - qe);
    }
  }
  return `${high}${low}${volM}${quoteBig}${fallbacks}`;
}

function measure(name: string, fn: () => string): void {
  for (let i = 0; i < 5; i++) fn();
  const reps = 50;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  const ns = Number(process.hrtime.bigint() - t0);
  const perTrade = ns / (reps * prices.length);
  console.log(
    `${name.padEnd(28)} ${perTrade.toFixed(0).padStart(5)} ns/trade  ${(1e9 / perTrade / 1e6).toFixed(2)} M trades/s`,
  );
}

measure('bigint scale 18', bigintPath);
measure('number mantissa + fallback', numberPath);

// Variant: scan digits into a number (≤ 15 digits), then one BigInt(number) × 10^k.
const BP10 = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
function parseViaNumber(s: string): bigint {
  if (!parseNum(s)) return parseDecimal(s);
  return BigInt(mant) * BP10[18 - exp]!;
}
function bigintViaNumberPath(): string {
  let high = -1n;
  let low = 1n << 200n;
  let vol = 0n;
  let quote = 0n;
  for (let i = 0; i < prices.length; i++) {
    const p = parseViaNumber(prices[i]!);
    const q = parseViaNumber(qtys[i]!);
    if (p > high) high = p;
    if (p < low) low = p;
    vol += q;
    quote += p * q;
  }
  return `${high}${low}${vol}${quote}`;
}
function parseOnly(): string {
  let n = 0;
  for (let i = 0; i < prices.length; i++) {
    if (parseDecimal(prices[i]!) > 0n) n++;
    if (parseDecimal(qtys[i]!) > 0n) n++;
  }
  return String(n);
}
measure('bigint, number-scan parse', bigintViaNumberPath);
measure('bigint parse only (x2)', parseOnly);

// The other two decimal hot paths, on the same prices and quantities: the store writer's byte
// scanner (every price and size written) and the normalizer's text path (canonical form of
// price and quantity, exact price × quantity).
const priceBytes = prices.map((s) => Buffer.from(s, 'latin1'));
const qtyBytes = qtys.map((s) => Buffer.from(s, 'latin1'));
const scanned = { digits: 0, frac: 0 };
function storeScan(): string {
  let sum = 0;
  for (let i = 0; i < prices.length; i++) {
    const p = priceBytes[i]!;
    const q = qtyBytes[i]!;
    sum += scanDecimalBytes(p, 0, p.length, scanned) + scanned.frac;
    sum += scanDecimalBytes(q, 0, q.length, scanned) + scanned.frac;
  }
  return String(sum);
}
function normalizerText(): string {
  let n = 0;
  for (let i = 0; i < prices.length; i++) {
    const p = canonicalText(prices[i]!);
    const q = canonicalText(qtys[i]!);
    if (p !== null && q !== null) n += mulText(p, q).length;
  }
  return String(n);
}
measure('store byte scan (x2)', storeScan);
measure('normalizer text canon+mul', normalizerText);
