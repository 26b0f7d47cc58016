/**
 * Changing what the workspace chart shows: one schema and one function for every channel that
 * does it — the MCP `set_chart` tool and the gateway's `PUT /api/workspace/chart` (the web page
 * switching symbol or period) — so both check symbols, periods and ranges alike and the agent's
 * brief names the chart the user is looking at.
 */
import { z } from 'zod';
import {
  checkPeriod,
  DEFAULT_EXCHANGE,
  exchangeField,
  invalidArgument,
  MAX_BARS,
  type MarketDataSource,
  parseTime,
  resolveSeries,
} from '../common/index.ts';
import type { ChartState, Workspace } from './model.ts';
import type { WorkspaceKey, WorkspaceStore } from './workspace-store.ts';

/** A change of the chart; omitted fields keep their value. */
export const chartChangeSchema = z.object({
  symbol: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('Symbol to show, e.g. BTCUSDT or BTC/USDT; required when no chart is set yet.'),
  exchange: exchangeField,
  period: z
    .string()
    .min(1)
    .max(20)
    .optional()
    .describe('Bar period, e.g. 1m, 5m, 1h, 1d (default 1h for a new chart).'),
  from: z
    .string()
    .optional()
    .describe('Range start, ISO 8601 UTC; give "" to clear the range and follow the latest bars.'),
  to: z.string().optional().describe('Range end, ISO 8601 UTC (exclusive); "" clears it.'),
  bars: z
    .number()
    .int()
    .min(10)
    .max(MAX_BARS)
    .optional()
    .describe(`Bars shown when no range is set (10..${MAX_BARS}; default 200).`),
  theme: z.enum(['light', 'dark']).optional().describe('Chart theme (default dark).'),
});
export type ChartChange = z.infer<typeof chartChangeSchema>;

/** What {@link changeChart} reads and writes. */
export interface ChartChangeDeps {
  readonly workspaces: WorkspaceStore;
  /** When given, the symbol must be one the store holds (and is spelled as stored). */
  readonly market?: MarketDataSource;
}

/**
 * Applies `change` to the chart of the workspace `key` and returns the workspace. Throws a
 * ToolInputError (an InvalidInputError) naming the field: an unknown period, symbol or exchange,
 * a bad or empty range, or no symbol while no chart is set yet.
 */
export async function changeChart(
  deps: ChartChangeDeps,
  key: WorkspaceKey,
  change: ChartChange,
): Promise<Workspace> {
  if (change.period !== undefined) checkPeriod(change.period);
  if (change.from) parseTime(change.from, 'from');
  if (change.to) parseTime(change.to, 'to');
  if (change.from && change.to && parseTime(change.from, 'from') >= parseTime(change.to, 'to')) {
    invalidArgument('from', `${change.from} is not before to ${change.to}`);
  }
  let resolved: { venue: string; symbol: string } | undefined;
  if (change.symbol !== undefined) {
    resolved =
      deps.market === undefined
        ? {
            venue: (change.exchange ?? DEFAULT_EXCHANGE).toUpperCase(),
            symbol: change.symbol.toUpperCase().replace(/[^A-Z0-9]/g, ''),
          }
        : await resolveSeries(deps.market, change.symbol, change.exchange);
  }
  return deps.workspaces.update(key, (current) => {
    const prev = current.chart;
    if (prev === null && resolved === undefined) {
      invalidArgument('symbol', 'no chart is set yet; give a symbol (search_symbols lists them)');
    }
    const next: ChartState = {
      exchange: resolved?.venue ?? prev!.exchange,
      symbol: resolved?.symbol ?? prev!.symbol,
      period: change.period ?? prev?.period ?? '1h',
      from: change.from === undefined ? prev?.from : change.from || undefined,
      to: change.to === undefined ? prev?.to : change.to || undefined,
      bars: change.bars ?? prev?.bars ?? 200,
      theme: change.theme ?? prev?.theme ?? 'dark',
    };
    return { ...current, chart: next };
  });
}
