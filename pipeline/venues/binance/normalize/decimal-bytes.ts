/**
 * decimal.ts on bytes, for the trade hot path: the canonical form of an unsigned plain decimal
 * is a sub-range of its bytes (leading zeros and trailing fractional zeros dropped), and the
 * exact product price * quantity is written as digits without building strings. Same results
 * as tryCanonicalDecimal / mulDecimalText (trade-bytes.test.ts compares them on random decimals).
 */

import { mulDecimalText } from '../../../../core/decimal/index.ts';
import { digitCount } from '../../../../proto/wire.ts';
import { writeDigitsFast } from '../fixed-width.ts';

/** A canonical decimal inside a frame. */
export class DecimalRange {
  start = 0;
  end = 0;
  /** Digits without the point (as mulDecimalText counts them, a leading `0` of `0.5` included). */
  digits = 0;
  /** Fractional digits. */
  scale = 0;
  /** The digits as an integer, when there are at most 15 of them (exact in a float64). */
  value = 0;

  /**
   * Sets the canonical sub-range of the unsigned plain decimal `buf[from, to)`
   * (`digits[.digits]`); false when it is not one (signs, exponents: the general path decides).
   */
  read(buf: Uint8Array, from: number, to: number): boolean {
    let i = from;
    while (i < to && buf[i]! >= 48 && buf[i]! <= 57) i++;
    const intEnd = i;
    if (intEnd === from) return false;
    let head = from;
    while (head < intEnd - 1 && buf[head] === 48) head++;
    let last = intEnd;
    if (i < to) {
      if (buf[i] !== 46 || i === to - 1) return false;
      for (i++; i < to; i++) {
        const c = buf[i]!;
        if (c < 48 || c > 57) return false;
        if (c !== 48) last = i + 1;
      }
    }
    this.start = head;
    this.end = last;
    this.scale = last === intEnd ? 0 : last - intEnd - 1;
    this.digits = intEnd - head + this.scale;
    let value = 0;
    if (this.digits <= 15)
      for (let j = head; j < last; j++) if (j !== intEnd) value = value * 10 + (buf[j]! - 48);
    this.value = value;
    return true;
  }

  /**
   * {@link read} fused with the scan of the JSON string holding the decimal: from just after
   * its opening quote, reads `digits[.digits]` up to the closing quote and returns the quote's
   * index; -1 when anything else comes first (the caller then takes the general path).
   */
  scan(buf: Uint8Array, from: number, end: number): number {
    let i = from;
    let head = -1;
    let acc = 0;
    for (; i < end; i++) {
      const d = buf[i]! - 48;
      if (d < 0 || d > 9) break;
      if (head < 0 && d !== 0) head = i;
      acc = acc * 10 + d;
    }
    const intEnd = i;
    if (intEnd === from || i === end) return -1;
    if (head < 0) head = intEnd - 1;
    let value = acc;
    let last = intEnd;
    if (buf[i] === 46) {
      for (i++; i < end; i++) {
        const d = buf[i]! - 48;
        if (d < 0 || d > 9) break;
        acc = acc * 10 + d;
        if (d !== 0) {
          last = i + 1;
          value = acc;
        }
      }
      if (i === intEnd + 1) return -1;
    }
    if (i === end || buf[i] !== 34) return -1;
    this.start = head;
    this.end = last;
    this.scale = last === intEnd ? 0 : last - intEnd - 1;
    this.digits = intEnd - head + this.scale;
    // value holds every digit up to the last kept one; exact when there are at most 15.
    this.value = this.digits <= 15 ? value : 0;
    return i;
  }
}

/** 10^0 .. 10^15 (exact; `**` is a slow generic call). */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

function latin1(buf: Uint8Array, from: number, to: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + from, to - from).toString('latin1');
}

/** price * quantity, exact and canonical, as an integer and a scale (or, rarely, a string). */
export class QuoteQuantity {
  value = 0;
  scale = 0;
  digits = 0;
  /** Bytes it takes. */
  length = 0;
  /** Set instead of value/scale when the product needs BigInt, or is '' (contracts). */
  text: string | null = null;

  /** '' (COIN-M quantities are contracts: no notional). */
  none(): void {
    this.text = '';
    this.length = 0;
  }

  /** Sets the exact product of two canonical decimals read from `buf`. */
  multiply(buf: Uint8Array, price: DecimalRange, quantity: DecimalRange): void {
    this.text = null;
    // As mulDecimalText: a float64 product of two <=15-digit integers is exact when it is a safe integer.
    let product = price.digits <= 15 && quantity.digits <= 15 ? price.value * quantity.value : Number.NaN;
    if (!Number.isSafeInteger(product)) {
      this.text = mulDecimalText(
        latin1(buf, price.start, price.end),
        latin1(buf, quantity.start, quantity.end),
      );
      this.length = this.text.length;
      return;
    }
    let scale = product === 0 ? 0 : price.scale + quantity.scale;
    // Drop trailing zeros. Math.floor(n / 10) is exact below 2^53, and cheaper than a float `%`.
    while (scale > 0) {
      const tenth = Math.floor(product / 10);
      if (tenth * 10 !== product) break;
      product = tenth;
      scale--;
    }
    const digits = digitCount(product);
    this.value = product;
    this.scale = scale;
    this.digits = digits;
    this.length = scale === 0 ? digits : digits > scale ? digits + 1 : scale + 2;
  }

  /** Writes it at `pos`; returns the position after it. */
  write(out: Uint8Array, pos: number): number {
    const text = this.text;
    if (text !== null) {
      for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
      return pos;
    }
    const { value, scale, digits } = this;
    if (scale === 0) return writeDigitsFast(out, pos, value, digits);
    if (digits > scale) {
      const unit = POW10[scale]!; // digits > scale, so scale < 16
      const int = Math.floor(value / unit); // exact: value < 2^53
      pos = writeDigitsFast(out, pos, int, digits - scale);
      out[pos++] = 46;
      return writeDigitsFast(out, pos, value - int * unit, scale);
    }
    out[pos++] = 48; // 0.000ddd
    out[pos++] = 46;
    return writeDigitsFast(out, pos, value, scale);
  }
}
