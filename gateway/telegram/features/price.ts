/**
 * `/price SYMBOL…`: the latest price of each symbol, from the live bar cache when it holds the
 * series, else from the store's newest 1m bar; with its source and as-of time. No model call.
 */
import { Composer } from 'grammy';
import { isoOfUs, type MarketDataSource, type SeriesId } from '../../../mcp-servers/common/index.ts';
import type { BotContext, TelegramBotDeps } from '../deps.ts';
import { seriesOf } from './symbol-args.ts';

const MINUTE_US = 60_000_000;
/** Most symbols one `/price` answers. */
const MAX_SYMBOLS = 10;

/** One symbol's latest price. */
export interface PriceAnswer {
  readonly series: SeriesId;
  /** Exact decimal string. */
  readonly price: string;
  /** Time the price is as of, epoch µs: the end of a closed bar, or now for a forming one. */
  readonly asOfUs: number;
  readonly source: 'live' | 'store';
}

/** The latest price of `series`, or null when neither the live cache nor the store has a 1m bar. */
export async function latestPrice(
  deps: { market: MarketDataSource; liveBars?: TelegramBotDeps['liveBars'] },
  series: SeriesId,
): Promise<PriceAnswer | null> {
  const live = deps.liveBars?.latest(series, '1m') ?? null;
  if (live !== null) {
    return { series, price: live.close, asOfUs: live.openTimeUs + MINUTE_US, source: 'live' };
  }
  const stored = await deps.market.latestBar({ ...series, period: '1m' });
  if (stored === null) return null;
  return { series, price: stored.close, asOfUs: stored.openTimeUs + MINUTE_US, source: 'store' };
}

/** The answer's line, e.g. `BINANCE:BTCUSDT 61234.56 — as of 2024-08-09T00:05:00Z (store)`. */
export function formatPrice(a: PriceAnswer): string {
  return `${a.series.venue}:${a.series.symbol} ${a.price} — as of ${isoOfUs(a.asOfUs)} (${a.source})`;
}

/** The `/price` command. */
export function priceComposer(deps: TelegramBotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  composer.command('price', async (ctx) => {
    const typed = ctx.match.split(/[\s,]+/).filter((s) => s !== '');
    if (typed.length === 0) return ctx.reply('Which symbol? For example: /price BTCUSDT');
    const lines = await Promise.all(
      typed.slice(0, MAX_SYMBOLS).map(async (s) => {
        const resolved = await seriesOf(deps.market, s);
        if (!resolved.ok) return resolved.message;
        const answer = await latestPrice(deps, resolved.series);
        return answer === null ? `${s}: no price stored yet` : formatPrice(answer);
      }),
    );
    return ctx.reply(lines.join('\n'));
  });
  return composer;
}
