/**
 * Candlestick patterns on bar close, each a pure test of the last one or two final bars.
 * No trend context is required (a hammer after a rise still counts): the user picked the symbol
 * and period, the rule only says the shape happened. With body = |close − open|,
 * range = high − low, upper = high − max(open, close), lower = min(open, close) − low:
 *
 * - doji: range > 0 and body ≤ 10 % of range (open and close nearly equal).
 * - hammer: body > 10 % of range (not a doji), lower shadow ≥ 2 × body, upper shadow ≤ ½ × body.
 * - shooting_star: body > 10 % of range, upper shadow ≥ 2 × body, lower shadow ≤ ½ × body.
 * - bullish_engulfing: previous bar bearish (close < open), this bar bullish (close > open), its
 *   body covers the previous body (open ≤ previous close, close ≥ previous open) and is larger.
 * - bearish_engulfing: previous bar bullish, this bar bearish, open ≥ previous close,
 *   close ≤ previous open, body larger than the previous body.
 */

export const CANDLE_PATTERNS = [
  'doji',
  'hammer',
  'shooting_star',
  'bullish_engulfing',
  'bearish_engulfing',
] as const;
export type CandlePattern = (typeof CANDLE_PATTERNS)[number];

/** The prices of a bar a pattern reads. */
export interface Candle {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

const DOJI_BODY = 0.1;

/** True when `pattern` completes on `bar` (`previous`: the final bar before it, if any). */
export function matchesPattern(pattern: CandlePattern, bar: Candle, previous: Candle | undefined): boolean {
  const body = Math.abs(bar.close - bar.open);
  const range = bar.high - bar.low;
  const upper = bar.high - Math.max(bar.open, bar.close);
  const lower = Math.min(bar.open, bar.close) - bar.low;
  switch (pattern) {
    case 'doji':
      return range > 0 && body <= DOJI_BODY * range;
    case 'hammer':
      return body > DOJI_BODY * range && lower >= 2 * body && upper <= 0.5 * body;
    case 'shooting_star':
      return body > DOJI_BODY * range && upper >= 2 * body && lower <= 0.5 * body;
    case 'bullish_engulfing':
      return (
        previous !== undefined &&
        previous.close < previous.open &&
        bar.close > bar.open &&
        bar.open <= previous.close &&
        bar.close >= previous.open &&
        body > previous.open - previous.close
      );
    case 'bearish_engulfing':
      return (
        previous !== undefined &&
        previous.close > previous.open &&
        bar.close < bar.open &&
        bar.open >= previous.close &&
        bar.close <= previous.open &&
        body > previous.close - previous.open
      );
  }
}
