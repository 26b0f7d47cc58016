import { Hono } from 'hono';
import { InvalidInputError } from '../../core/errors.ts';
import { bucketCount, fixedSpan, type Period } from '../../core/periods/index.ts';
import { resolveSeries } from '../../mcp-servers/common/index.ts';
import { chartRows, loadCandles } from './candles.ts';
import type { ApiDeps } from './deps.ts';
import type { ApiEnv } from './identity.ts';
import { candlesQuery, MAX_CANDLES, parseOr400, splitSymbol } from './params.ts';

const MONTH_US = 31 * 86_400_000_000;

/** Seconds a browser may keep an answer: 1 s when it holds the forming bar, else 5 minutes. */
function maxAge(period: Period, toUs: number | undefined, nowUs: number): number {
  const width = fixedSpan(period)?.widthUs ?? MONTH_US;
  return toUs === undefined || toUs > nowUs - 2 * width ? 1 : 300;
}

/**
 * `GET /candles?symbol=&interval=&from=&to=&limit=`: bars as `[time s, open, high, low, close,
 * volume]` rows. `from`+`to`: every bar of the range (at most {@link MAX_CANDLES}); one of them:
 * `limit` bars from `from` or before `to`; neither: the latest `limit`.
 */
export function candleRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const now = deps.now ?? Date.now;
  return new Hono<ApiEnv>().get('/candles', async (c) => {
    const q = parseOr400(candlesQuery, c.req.query());
    const named = splitSymbol(q.symbol, q.exchange);
    const series = await resolveSeries(deps.market, named.symbol, named.exchange);
    let limit = q.limit;
    if (q.from !== undefined && q.to !== undefined) {
      const count = bucketCount(q.interval, q.from, q.to);
      if (count > MAX_CANDLES) {
        throw new InvalidInputError(
          'from',
          `the range holds ${count} ${q.interval} bars; the limit is ${MAX_CANDLES} (narrow the range or use a longer interval)`,
        );
      }
      limit = MAX_CANDLES;
    }
    const answer = await loadCandles(deps.market, deps.liveBars, {
      series,
      period: q.interval,
      fromUs: q.from,
      toUs: q.to,
      limit,
    });
    c.header('Cache-Control', `private, max-age=${maxAge(q.interval, q.to, now() * 1000)}`);
    c.header('X-Bars-From-Cache', String(answer.fromCache));
    return c.json({
      exchange: series.venue,
      symbol: series.symbol,
      interval: q.interval,
      columns: ['time', 'open', 'high', 'low', 'close', 'volume'],
      bars: chartRows(answer.bars),
    });
  });
}
