/**
 * The one check of a trade's numbers, made by every normalizer (Binance WS, REST and CSV
 * replay, ccxt) before a trade reaches the bus: the price and the quantity are plain decimals,
 * greater than zero, and — with the quote quantity (price × quantity) — within the decimal shape
 * the store writes (core/decimal: at most 18 integer and 18 fractional digits). A trade that
 * fails is refused there, with the field and the reason, and never reaches the sequencer, the
 * bars or the store: one absurd number from a venue (a 400-digit price, a 61-decimal or negative
 * quantity) must not become a bar the store cannot hold.
 */
import {
  MAX_FRAC_DIGITS,
  MAX_INT_DIGITS,
  mulDecimalText,
  scanDecimal,
  tryCanonicalDecimal,
} from '../../core/decimal/index.ts';

/** A trade's checked numbers, canonical (`quoteQuantity` '' when not asked for). */
export interface TradeValues {
  readonly price: string;
  readonly quantity: string;
  readonly quoteQuantity: string;
}

/** Why a trade's numbers were refused: `code` names the field (`invalid_price`, ...). */
export interface TradeValueFailure {
  readonly code: 'invalid_price' | 'invalid_quantity' | 'invalid_quote_quantity';
  readonly field: 'price' | 'quantity' | 'quoteQuantity';
  readonly message: string;
}

const SHAPE = `at most ${MAX_INT_DIGITS} integer and ${MAX_FRAC_DIGITS} fractional digits`;

/** A value as a message quotes it: long ones cut, so a 400-digit price does not flood a log. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length} chars)` : text;
}

function digitsOf(canonical: string): { int: number; frac: number } {
  const dot = canonical.indexOf('.');
  const sign = canonical.charCodeAt(0) === 45 ? 1 : 0;
  return dot < 0
    ? { int: canonical.length - sign, frac: 0 }
    : { int: dot - sign, frac: canonical.length - dot - 1 };
}

/** The problem with one positive stored decimal, or undefined when it is fine. */
function problemOf(raw: unknown, canonical: string | null): string | undefined {
  if (canonical === null) {
    return `${quote(raw)} is not a plain decimal string (digits, optional "." and digits; no sign, exponent, NaN or spaces)`;
  }
  if (canonical === '0') return `${quote(raw)} is zero; it must be greater than 0`;
  if (canonical.charCodeAt(0) === 45) return `${quote(raw)} is negative; it must be greater than 0`;
  if (scanDecimal(canonical) < 0) {
    const { int, frac } = digitsOf(canonical);
    return `${quote(raw)} has ${int} integer and ${frac} fractional digits; the store holds ${SHAPE}`;
  }
  return undefined;
}

/**
 * Checks and canonicalises a trade's venue price and quantity, and makes its quote quantity
 * (price × quantity, exact) when `withQuote`; returns the values, or the failure naming the field.
 * @example
 * checkTradeValues('61837.63000000', '0.02000000', true) // { price: '61837.63', quantity: '0.02', quoteQuantity: '1236.7526' }
 * checkTradeValues('61837.63', '-1', true) // { code: 'invalid_quantity', field: 'quantity', message: '"-1" is negative; ...' }
 */
export function checkTradeValues(
  price: unknown,
  quantity: unknown,
  withQuote: boolean,
): TradeValues | TradeValueFailure {
  const p = typeof price === 'string' ? tryCanonicalDecimal(price) : null;
  const priceProblem = problemOf(price, p);
  if (priceProblem !== undefined)
    return { code: 'invalid_price', field: 'price', message: `price: ${priceProblem}` };
  const q = typeof quantity === 'string' ? tryCanonicalDecimal(quantity) : null;
  const quantityProblem = problemOf(quantity, q);
  if (quantityProblem !== undefined)
    return { code: 'invalid_quantity', field: 'quantity', message: `quantity: ${quantityProblem}` };
  const quoteQuantity = withQuote ? mulDecimalText(p!, q!) : '';
  if (withQuote && scanDecimal(quoteQuantity) < 0) {
    const { int, frac } = digitsOf(quoteQuantity);
    return {
      code: 'invalid_quote_quantity',
      field: 'quoteQuantity',
      message: `quoteQuantity: price ${quote(p)} × quantity ${quote(q)} has ${int} integer and ${frac} fractional digits; the store holds ${SHAPE}`,
    };
  }
  return { price: p!, quantity: q!, quoteQuantity };
}

/** Is `result` a refusal? */
export function isTradeValueFailure(result: TradeValues | TradeValueFailure): result is TradeValueFailure {
  return 'code' in result;
}

/** A canonical unsigned decimal inside a byte buffer (the byte path's view of a price or quantity). */
export interface DecimalBytes {
  readonly start: number;
  readonly end: number;
  /** Digits without the point, a leading `0` of `0.5` included. */
  readonly digits: number;
  /** Fractional digits. */
  readonly scale: number;
}

/** A product of two decimals as the byte path holds it: digits and scale, or its text. */
export interface ProductBytes {
  readonly digits: number;
  readonly scale: number;
  /** The product's text when it was made as text ('' for none), else null. */
  readonly text: string | null;
}

function rangeFits(buf: Uint8Array, d: DecimalBytes): boolean {
  // Canonical, so zero is exactly "0"; unsigned, so never negative (a sign takes the text path).
  if (d.end - d.start === 1 && buf[d.start] === 48) return false;
  return d.scale <= MAX_FRAC_DIGITS && d.digits - d.scale <= MAX_INT_DIGITS;
}

/**
 * {@link checkTradeValues} on the byte path's canonical ranges: true when the price, quantity
 * and quote quantity would pass. False sends the frame to the text path, which says why.
 */
export function tradeBytesFit(
  buf: Uint8Array,
  price: DecimalBytes,
  quantity: DecimalBytes,
  quoteQuantity: ProductBytes,
): boolean {
  if (!rangeFits(buf, price) || !rangeFits(buf, quantity)) return false;
  const text = quoteQuantity.text;
  if (text !== null) return text === '' || scanDecimal(text) >= 0;
  return (
    quoteQuantity.scale <= MAX_FRAC_DIGITS && quoteQuantity.digits - quoteQuantity.scale <= MAX_INT_DIGITS
  );
}
