import { rejections } from '../errors.ts';

const UINT = /^[0-9]{1,20}$/;

/** An optional non-negative integer parameter (ids, times), refused as Binance does. */
export function optionalInt(q: URLSearchParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!UINT.test(raw)) throw rejections.illegalChars(name);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw rejections.invalidValue(name);
  return n;
}

/** `limit`: default when absent; above `max` it is capped, as Binance caps it; 0 is refused. */
export function limitParam(q: URLSearchParams, def: number, max: number): number {
  const n = optionalInt(q, 'limit');
  if (n === undefined) return def;
  if (n < 1) throw rejections.invalidValue('limit');
  return Math.min(n, max);
}

/** The mandatory `symbol`, upper-cased the way Binance accepts it. */
export function requiredSymbol(q: URLSearchParams): string {
  const raw = q.get('symbol');
  if (raw === null || raw === '') throw rejections.mandatory('symbol');
  if (!/^[A-Za-z0-9-_.]{1,20}$/.test(raw)) throw rejections.invalidSymbol();
  return raw.toUpperCase();
}

/** startTime/endTime, checked for order. */
export function timeRange(q: URLSearchParams): { startTime?: number; endTime?: number } {
  const startTime = optionalInt(q, 'startTime');
  const endTime = optionalInt(q, 'endTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime)
    throw rejections.startAfterEnd();
  return { ...(startTime === undefined ? {} : { startTime }), ...(endTime === undefined ? {} : { endTime }) };
}
