/**
 * Exact decimals, one module with one verb per path:
 * - bigint (bigint.ts): `parseDecimal` text -> bigint scaled by 10^18, `formatDecimal` back,
 *   `add`/`sub`/`mul`/`divDecimalByInt`, `checkDecimal` (throws what parseDecimal would),
 *   `canonicalDecimal` (throws on anything but an exact 18-decimal value);
 * - text (text.ts): `tryCanonicalDecimal` (null when not a plain decimal), `mulDecimalText`,
 *   `subDecimalText`: venue strings to canonical strings without a bigint per value;
 * - bytes (scan.ts): `scanDecimal` / `scanDecimalBytes` validate against the stored shape
 *   (18 integer, 18 fractional digits) and read the digits into a number; `formatScannedDecimal`.
 * @example
 * const price = parseDecimal('61837.63000000');
 * const qty = parseDecimal('0.02000000');
 * formatDecimal(price * qty, PRODUCT_SCALE) === '1236.7526';
 * mulDecimalText('61837.63', '0.02') === '1236.7526';
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
} from './bigint.ts';
export { DecimalError } from './errors.ts';
export {
  formatScannedDecimal,
  MAX_EXACT_DIGITS,
  MAX_FRAC_DIGITS,
  MAX_INT_DIGITS,
  type ScannedDecimal,
  scanDecimal,
  scanDecimalBytes,
} from './scan.ts';
export { mulDecimalText, subDecimalText, tryCanonicalDecimal } from './text.ts';
