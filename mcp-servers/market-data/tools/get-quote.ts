import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { StoredBar } from '../../../pipeline/store/index.ts';
import {
  exchangeField,
  formatNumber,
  guard,
  invalidArgument,
  isoOfUs,
  type MarketDataSource,
  resolveSeries,
  type SeriesId,
  textResult,
  toCsv,
} from '../../common/index.ts';
import type { MarketDataServerDeps } from '../deps.ts';
import { allSymbols } from '../symbols.ts';

export const getQuoteInput = z.object({
  symbols: z
    .array(z.string().min(1).max(40))
    .min(1)
    .max(20)
    .describe('Symbols to quote (1..20), e.g. ["BTCUSDT", "XRP/ETH"].'),
  exchange: exchangeField,
  quote_currency: z
    .string()
    .min(2)
    .max(10)
    .optional()
    .describe(
      "Express prices in this currency (e.g. USDT), converted through a stored pair; default each symbol's own quote asset.",
    ),
});

const DAY_US = 86_400_000_000;

async function lastBar(market: MarketDataSource, id: SeriesId): Promise<StoredBar | null> {
  return market.latestBar({ ...id, period: '1m' });
}

/** `get_quote`: last price, 24 h change and age of several symbols. */
export function registerGetQuoteTool(server: McpServer, deps: MarketDataServerDeps): void {
  server.registerTool(
    'get_quote',
    {
      title: 'Get quote',
      description:
        'Last price of one or more symbols from the newest stored 1m bar, with 24 h change, the time of the price and its age; optionally converted to another quote currency.',
      inputSchema: getQuoteInput,
      annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
    },
    guard('get_quote', deps.logger, async (args: z.infer<typeof getQuoteInput>) => {
      const nowUs = (deps.now ?? Date.now)() * 1000;
      const symbols = await allSymbols(deps.market);
      const quoteOf = (id: SeriesId) =>
        symbols.find((s) => s.exchange === id.venue && s.symbol === id.symbol)?.record?.quoteAsset ?? '';
      const target = args.quote_currency?.toUpperCase();
      const rows: (string | number)[][] = [];
      for (const [i, raw] of args.symbols.entries()) {
        const id = await resolveSeries(deps.market, raw, args.exchange, `symbols[${i}]`);
        const bar = await lastBar(deps.market, id);
        if (bar === null) {
          rows.push([`${id.venue}:${id.symbol}`, '', '', '', '', 'no 1m bars stored']);
          continue;
        }
        const dayAgo = await deps.market.getBars({
          ...id,
          period: '1m',
          toUs: bar.openTimeUs - DAY_US + 60_000_000,
          limit: 1,
        });
        let price = Number(bar.close);
        let prev = dayAgo[0] ? Number(dayAgo[0].close) : Number.NaN;
        let quote = quoteOf(id);
        if (target !== undefined && target !== quote) {
          const rate = await conversionRate(deps.market, symbols, id.venue, quote, target);
          if (rate === null) {
            invalidArgument(
              'quote_currency',
              `no stored ${quote}/${target} pair on ${id.venue} to convert ${id.symbol}; omit quote_currency or use ${quote || "the symbol's own quote"}`,
            );
          }
          price *= rate;
          prev *= rate;
          quote = target;
        }
        const asOf = Math.min(bar.closeTimeUs, nowUs);
        rows.push([
          `${id.venue}:${id.symbol}`,
          formatNumber(price, 10),
          quote,
          Number.isFinite(prev) ? `${formatNumber((price / prev - 1) * 100, 3)}%` : '',
          isoOfUs(asOf),
          ageText(nowUs - asOf),
        ]);
      }
      return textResult(
        `${rows.length} quote(s) from the newest stored 1m bars (change vs 24 h earlier).`,
        toCsv(['symbol', 'price', 'quote', 'change_24h', 'as_of', 'age'], rows),
      );
    }),
  );
}

/** Price of 1 `from` in `to` via a stored pair (FROMTO or inverse TOFROM), or null. */
async function conversionRate(
  market: MarketDataSource,
  symbols: Awaited<ReturnType<typeof allSymbols>>,
  venue: string,
  from: string,
  to: string,
): Promise<number | null> {
  for (const s of symbols) {
    if (s.exchange !== venue || s.record === null) continue;
    const direct = s.record.baseAsset === from && s.record.quoteAsset === to;
    const inverse = s.record.baseAsset === to && s.record.quoteAsset === from;
    if (!direct && !inverse) continue;
    const bar = await market.latestBar({ venue, symbol: s.symbol, period: '1m' });
    if (bar === null) continue;
    return direct ? Number(bar.close) : 1 / Number(bar.close);
  }
  return null;
}

function ageText(us: number): string {
  const s = Math.max(0, Math.round(us / 1e6));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
