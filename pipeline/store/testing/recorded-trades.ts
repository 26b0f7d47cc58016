/**
 * Test and measurement helpers: the real recorded trades of `../shared/data` as store rows.
 * (Not part of the store's public face.)
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { RECORDED_DATA_DIR, recordedData } from '../../../test/support/index.ts';
import type { TradeRow } from '../types.ts';

/** test/support's RECORDED_DATA_DIR, for the tests that still import it from here (prefer `recordedData`). */
export const SHARED_DATA = RECORDED_DATA_DIR;

export const BTC_TRADES = 'trades/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz';
export const XRPETH_AGG_TRADES = 'trades/binance-spot-XRPETH-aggTrades-2019-10-11.csv';

/** Exact product of two decimal strings (for quote quantities the source does not give). */
export function multiplyDecimals(a: string, b: string): string {
  const [ai = '0', af = ''] = a.split('.');
  const [bi = '0', bf = ''] = b.split('.');
  const scale = af.length + bf.length;
  const digits = (BigInt(ai + af) * BigInt(bi + bf)).toString().padStart(scale + 1, '0');
  if (scale === 0) return digits;
  return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

/**
 * Binance spot `trades` CSV (id, price, qty, quoteQty, time ms, isBuyerMaker, isBestMatch) as
 * rows with seq 1..n. isBuyerMaker=True means the seller was the aggressor (Side 2).
 */
export function loadBinanceSpotTrades(
  relPath = BTC_TRADES,
  venue = 'BINANCE',
  symbol = 'BTCUSDT',
): TradeRow[] {
  const raw = readFileSync(recordedData(relPath));
  const text = (relPath.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const rows: TradeRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [id = '', price = '', qty = '', quote = '', time = '', buyerMaker, bestMatch] = line.split(',');
    rows.push({
      venue,
      symbol,
      seq: rows.length + 1,
      timeUs: Number(time) * 1000,
      tradeId: id,
      price,
      quantity: qty,
      quoteQuantity: quote,
      aggressor: buyerMaker === 'True' ? 2 : 1,
      bestMatch: bestMatch === 'True',
    });
  }
  return rows;
}

/**
 * Binance spot `aggTrades` CSV (aggId, price, qty, firstId, lastId, time ms, wasBuyerMaker,
 * wasBestMatch) as rows with seq 1..n; quote quantity computed exactly.
 */
export function loadBinanceSpotAggTrades(
  relPath = XRPETH_AGG_TRADES,
  venue = 'BINANCE',
  symbol = 'XRPETH',
): TradeRow[] {
  const text = readFileSync(recordedData(relPath), 'utf8');
  const rows: TradeRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [id = '', price = '', qty = '', first = '', last = '', time = '', buyerMaker, bestMatch] =
      line.split(',');
    rows.push({
      venue,
      symbol,
      seq: rows.length + 1,
      timeUs: Number(time) * 1000,
      tradeId: id,
      price,
      quantity: qty,
      quoteQuantity: multiplyDecimals(price, qty),
      aggressor: buyerMaker === 'True' ? 2 : 1,
      firstTradeId: first,
      lastTradeId: last,
      bestMatch: bestMatch === 'True',
    });
  }
  return rows;
}
