/**
 * How an indicator is named and where its levels are, for every surface that shows one (the
 * indicators server's text, the PNG chart, the browser chart). Pure and browser-safe.
 */

/** Overbought/oversold levels of the oscillators that have them. */
export const ZONES: Readonly<Record<string, { column: string; high: number; low: number }>> = {
  rsi: { column: 'rsi', high: 70, low: 30 },
  mfi: { column: 'mfi', high: 80, low: 20 },
  stoch: { column: 'slowk', high: 80, low: 20 },
  willr: { column: 'willr', high: -20, low: -80 },
  cci: { column: 'cci', high: 100, low: -100 },
  ultosc: { column: 'ultosc', high: 70, low: 30 },
};

/** e.g. `RSI(14)`, `MACD(12,26,9)`, `OBV`: the name and the parameter values in order. */
export function indicatorLabel(name: string, params: Readonly<Record<string, number>>): string {
  const values = Object.values(params);
  return `${name.toUpperCase()}${values.length ? `(${values.join(',')})` : ''}`;
}
