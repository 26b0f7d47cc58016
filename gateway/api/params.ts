/**
 * Query and body parsing shared by the routes: zod schemas whose messages name what is valid,
 * and one function turning a failed parse into the 400 answer.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../core/errors.ts';
import { isPeriod, PERIODS, type Period } from '../../core/periods/index.ts';
import { parseTime } from '../../mcp-servers/common/index.ts';

/** Most bars one `/api/candles` answer holds (a `from`..`to` range over it is refused). */
export const MAX_CANDLES = 5_000;
/** Bars answered when the range is open and no `limit` is given. */
export const DEFAULT_CANDLES = 500;
/** Most symbols one `/api/quotes` call names. */
export const MAX_QUOTE_SYMBOLS = 50;

/** A symbol as the API takes it: `BTCUSDT`, `BTC/USDT` or `BINANCE:BTCUSDT`. */
export const symbolParam = z
  .string({ error: 'symbol is required (BTCUSDT, BTC/USDT or BINANCE:BTCUSDT)' })
  .min(1)
  .max(60);

export const intervalParam = z
  .string({ error: `interval is required; valid: ${PERIODS.join(', ')}` })
  .refine((v): v is Period => isPeriod(v), {
    error: (issue) => `"${String(issue.input)}" is not an interval; valid: ${PERIODS.join(', ')}`,
  })
  .transform((v) => v as Period);

/** A time: epoch seconds (as the chart uses) or ISO 8601 UTC. Output: epoch µs. */
const timeParam = z.string().transform((value, ctx) => {
  if (/^\d{1,12}$/.test(value)) return Number(value) * 1_000_000;
  try {
    return parseTime(value, 'time');
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a time; valid: epoch seconds (1723161240) or ISO 8601 UTC (2024-08-08T23:54:00Z)`,
    });
    return z.NEVER;
  }
});

export const candlesQuery = z
  .object({
    symbol: symbolParam,
    interval: intervalParam,
    exchange: z.string().min(1).max(40).optional(),
    from: timeParam.optional(),
    to: timeParam.optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1, { error: `limit must be 1..${MAX_CANDLES}` })
      .max(MAX_CANDLES, { error: `limit must be 1..${MAX_CANDLES}` })
      .default(DEFAULT_CANDLES),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    error: 'from must be before to',
    path: ['from'],
  });

export const quotesQuery = z.object({
  symbols: z
    .string({ error: 'symbols is required: a comma-separated list like BTCUSDT,BINANCE:XRPETH' })
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(
      z
        .array(symbolParam)
        .min(1, { error: 'symbols names no symbol; e.g. BTCUSDT,BINANCE:XRPETH' })
        .max(MAX_QUOTE_SYMBOLS, { error: `at most ${MAX_QUOTE_SYMBOLS} symbols per call` }),
    ),
});

/** Parses `input`, or throws an {@link InvalidInputError} naming each bad field and what is valid. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [first, ...rest] = parsed.error.issues;
  const where = (path: readonly PropertyKey[]): string => path.map(String).join('.') || 'request';
  throw new InvalidInputError(
    where(first?.path ?? []),
    [first?.message ?? 'invalid', ...rest.map((i) => `${where(i.path)}: ${i.message}`)].join('; '),
  );
}

/** `BINANCE:BTCUSDT` → exchange and symbol; a bare symbol keeps the `exchange` given (or none). */
export function splitSymbol(value: string, exchange?: string): { exchange?: string; symbol: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) return exchange === undefined ? { symbol: value } : { exchange, symbol: value };
  return { exchange: value.slice(0, colon), symbol: value.slice(colon + 1) };
}
