/**
 * ccxt hands prices and sizes over as float64 numbers. A venue decimal of up to 15
 * significant digits survives that trip exactly, and JavaScript prints a number as the
 * shortest decimal that reads back to it, so printing recovers the venue's value
 * (canonical form: `61837.63000000` comes back as `61837.63`). This turns a number into
 * that decimal string without exponent notation.
 */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const text = String(value);
  if (!text.includes('e')) return text;
  const [mantissa = '', expText = '0'] = text.split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt =
    (mantissa.replace('-', '').indexOf('.') === -1 ? digits.length : mantissa.replace('-', '').indexOf('.')) +
    exp;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return negative ? `-${out}` : out;
}

/** A ccxt number or undefined -> decimal string, '' when absent. */
export function optionalDecimal(value: number | undefined | null): string {
  return value === undefined || value === null ? '' : numberToDecimal(value);
}
