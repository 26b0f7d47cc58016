/**
 * Test support: breaks real Binance trade frames in the ways venues and networks do —
 * truncated, bad JSON, NaN, negative, zero, a 400-digit price, a 61-decimal quantity, an
 * exponent, missing or wrong-typed fields, junk bytes — plus blind byte-level mutations, all
 * driven by a seeded random so a failure replays. Every named breakage makes a frame that must
 * be refused; `mutateBytes` may or may not (a flipped digit can still be a valid trade).
 */

/** The named ways a trade frame is broken (each must be refused). */
export const BREAKAGES = [
  'truncated',
  'bad_json',
  'nan_price',
  'negative_quantity',
  'zero_quantity',
  'price_400_digits',
  'quantity_61_decimals',
  'exponent_price',
  'missing_price',
  'missing_trade_id',
  'wrong_type_trade_id',
  'wrong_type_quantity',
  'junk_bytes',
] as const;
export type Breakage = (typeof BREAKAGES)[number];

/** Replaces the value of the first `"key":` in a frame's text (a string or a bare value). */
function setField(text: string, key: string, value: string): string {
  const at = text.indexOf(`"${key}":`);
  if (at < 0) throw new Error(`frame has no "${key}": ${text.slice(0, 80)}`);
  const from = at + key.length + 3;
  let to = from;
  if (text[from] === '"') to = text.indexOf('"', from + 1) + 1;
  else while (to < text.length && text[to] !== ',' && text[to] !== '}') to++;
  return text.slice(0, from) + value + text.slice(to);
}

/** Any byte but a line break (recordings are one frame per line). */
function junkByte(b: number): number {
  return b === 10 || b === 13 ? b + 1 : b;
}

/** Removes `"key":value,` from a frame's text. */
function dropField(text: string, key: string): string {
  const at = text.indexOf(`"${key}":`);
  if (at < 0) throw new Error(`frame has no "${key}"`);
  const marked = setField(text, key, '\u0000');
  const end = marked.indexOf('\u0000') + 1;
  return marked.slice(0, at) + marked.slice(marked[end] === ',' ? end + 1 : end);
}

/**
 * `frame` (a combined-stream `trade` or `aggTrade` message) broken by `how`; `random` picks
 * where and what.
 */
export function breakTradeFrame(frame: Buffer, how: Breakage, random: () => number): Buffer {
  const text = frame.toString('latin1');
  const id = text.includes('"e":"aggTrade"') ? 'a' : 't';
  const int = (n: number) => Math.floor(random() * n);
  switch (how) {
    case 'truncated':
      // Any proper prefix of a JSON object is not one.
      return frame.subarray(0, 1 + int(frame.length - 2));
    case 'bad_json': {
      const at = text.indexOf('"p":');
      return Buffer.from(
        `${text.slice(0, at)}"p"${[';', '', ':,', ':"'][int(4)]}${text.slice(at + 4)}`,
        'latin1',
      );
    }
    case 'nan_price':
      return Buffer.from(setField(text, 'p', ['"NaN"', '"nan"', 'NaN', '"Infinity"'][int(4)]!), 'latin1');
    case 'negative_quantity':
      return Buffer.from(setField(text, 'q', `"-${text.match(/"q":"([^"]*)"/)?.[1] ?? '1'}"`), 'latin1');
    case 'zero_quantity':
      return Buffer.from(setField(text, 'q', ['"0"', '"0.00000000"', '"-0.0"'][int(3)]!), 'latin1');
    case 'price_400_digits':
      return Buffer.from(setField(text, 'p', `"${1 + int(9)}${'0'.repeat(399)}"`), 'latin1');
    case 'quantity_61_decimals':
      return Buffer.from(setField(text, 'q', `"0.${'0'.repeat(60)}${1 + int(9)}"`), 'latin1');
    case 'exponent_price':
      return Buffer.from(setField(text, 'p', '"6.18e4"'), 'latin1');
    case 'missing_price':
      return Buffer.from(dropField(text, 'p'), 'latin1');
    case 'missing_trade_id':
      return Buffer.from(dropField(text, id), 'latin1');
    case 'wrong_type_trade_id':
      return Buffer.from(
        setField(text, id, `"${text.match(new RegExp(`"${id}":(\\d+)`))?.[1] ?? '1'}"`),
        'latin1',
      );
    case 'wrong_type_quantity':
      return Buffer.from(setField(text, 'q', ['1.5', 'true', 'null', '["1"]', '{}'][int(5)]!), 'latin1');
    case 'junk_bytes': {
      // Junk before or after the object, starting with a control byte that is not whitespace: never JSON.
      const junk = Buffer.from(
        Array.from({ length: 1 + int(12) }, (_, i) => (i === 0 ? 1 + int(8) : junkByte(int(256)))),
      );
      return random() < 0.5 ? Buffer.concat([junk, frame]) : Buffer.concat([frame, junk]);
    }
  }
}

/**
 * A blind byte-level mutation of `frame` (flip, delete, duplicate or insert bytes): the result
 * may still be a valid trade, but must never make a normalizer throw or pass a bad value on.
 */
export function mutateBytes(frame: Buffer, random: () => number): Buffer {
  const int = (n: number) => Math.floor(random() * n);
  const out = Buffer.from(frame);
  const at = int(out.length);
  switch (int(5)) {
    case 0:
      out[at] = int(256);
      return out;
    case 1:
      out[at] = [48, 57, 45, 46, 34, 44, 123, 125][int(8)]!; // digits, sign, point, quote, comma, braces
      return out;
    case 2:
      return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + int(8)))]);
    case 3:
      return Buffer.concat([out.subarray(0, at), out.subarray(at, at + 1 + int(8)), out.subarray(at)]);
    default:
      return Buffer.concat([out.subarray(0, at), Buffer.from('9'.repeat(1 + int(40))), out.subarray(at)]);
  }
}
