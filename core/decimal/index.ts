/**
 * Exact decimal arithmetic on venue strings: parse to a bigint scaled by 10^18, add,
 * multiply (wide, scale 36), compare, format canonically.
 * @example
 * const price = parseDecimal('61837.63000000');
 * const qty = parseDecimal('0.02000000');
 * formatDecimal(price * qty, PRODUCT_SCALE) === '1236.7526';
 */
export {
  addDecimal,
  canonicalDecimal,
  checkDecimal,
  compareDecimal,
  decimalToNumber,
  divDecimalByInt,
  formatDecimal,
  mulDecimal,
  mulDecimalWide,
  ONE,
  PRODUCT_SCALE,
  parseDecimal,
  rescaleToDecimal,
  SCALE,
  subDecimal,
  tryParseDecimal,
} from './decimal.ts';
export { DecimalError } from './errors.ts';
