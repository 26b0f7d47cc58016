import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import {
  barsFromSeries,
  compactTable,
  exchangeField,
  formatNumber,
  fromField,
  guard,
  invalidArgument,
  isoOfUs,
  loadBars,
  MAX_BARS,
  MAX_TABLE_ROWS,
  resolveSeries,
  type ToolExtra,
  textResult,
  toField,
} from '../../common/index.ts';
import { describeIndicator } from '../analysis.ts';
import { computeOnBars, prepareIndicator } from '../compute.ts';
import type { IndicatorsServerDeps } from '../deps.ts';

export const computeIndicatorInput = z.object({
  indicator: z
    .string()
    .min(1)
    .max(30)
    .describe('Indicator name, e.g. rsi, macd, bbands, sma (list_indicators).'),
  params: z
    .record(z.string(), z.number())
    .optional()
    .describe('Parameters by name, e.g. {"period": 14}; omitted ones take their defaults.'),
  symbol: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe('Symbol (BTCUSDT or BTC/USDT); give symbol+period, or series.'),
  exchange: exchangeField,
  period: z.string().min(1).max(20).optional().describe('Bar period with symbol, e.g. 5m, 1h, 1d.'),
  from: fromField,
  to: toField,
  bars: z
    .number()
    .int()
    .min(1)
    .max(MAX_BARS)
    .optional()
    .describe(`Bars to compute over when the range is open (default 200, at most ${MAX_BARS}).`),
  series: z
    .string()
    .max(80)
    .optional()
    .describe('A series:// reference of bars from get_bars, instead of symbol/period.'),
  rows: z
    .number()
    .int()
    .min(0)
    .max(MAX_TABLE_ROWS)
    .optional()
    .describe(
      `Newest rows to show inline (default 20, at most ${MAX_TABLE_ROWS}); all rows go to a series:// reference.`,
    ),
});

/** `compute_indicator`: summary (last values, crosses, zones) plus a bounded table. */
export function registerComputeIndicatorTool(server: McpServer, deps: IndicatorsServerDeps): void {
  server.registerTool(
    'compute_indicator',
    {
      title: 'Compute indicator',
      description:
        'Compute an indicator over stored bars (symbol+period+range) or a series:// reference. Returns a summary (last values, recent crosses, overbought/oversold where it applies), the newest rows as CSV, and a series:// reference to all rows when they do not fit.',
      inputSchema: computeIndicatorInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(
      'compute_indicator',
      deps.logger,
      async (args: z.infer<typeof computeIndicatorInput>, extra: ToolExtra) => {
        const ctx = deps.resolveContext(extra);
        const req = prepareIndicator(args.indicator, args.params ?? {});
        let bars: Awaited<ReturnType<typeof loadBars>>['bars'];
        let skip = 0;
        let what: string;
        if (args.series !== undefined) {
          if (args.symbol !== undefined) invalidArgument('series', 'give either series or symbol, not both');
          const entry = await deps.series.get(ctx.userId, args.series, 'series');
          bars = barsFromSeries(entry);
          what = entry.title;
        } else {
          if (args.symbol === undefined)
            invalidArgument('symbol', 'give symbol and period (or a series:// reference)');
          if (args.period === undefined) invalidArgument('period', 'give the bar period, e.g. 1h');
          const id = await resolveSeries(deps.market, args.symbol, args.exchange);
          const loaded = await loadBars(deps.market, {
            series: id,
            period: args.period,
            from: args.from,
            to: args.to,
            limit: args.bars ?? 200,
            warmup: req.lookback,
          });
          bars = loaded.bars;
          skip = loaded.warmup;
          what = `${id.venue}:${id.symbol} ${args.period}`;
        }
        const shown = bars.slice(skip);
        if (shown.length === 0) {
          return textResult(`No bars for ${what} in that range; get_coverage shows what is stored.`);
        }
        const columns = computeOnBars(req, bars, skip);
        const times = shown.map((b) => b.openTimeUs);
        const names = Object.keys(columns);
        const table = {
          columns: ['time', 'close', ...names],
          rows: shown.map((b, i) => [
            isoOfUs(b.openTimeUs),
            b.close,
            ...names.map((k) => {
              const v = columns[k]![i]!;
              return Number.isFinite(v) ? Number(formatNumber(v, 10)) : '';
            }),
          ]),
        };
        const compact = await compactTable({
          table,
          limit: args.rows ?? 20,
          registry: deps.series,
          ownerId: ctx.userId,
          title: `${req.label} on ${what}`,
        });
        const summary = `${req.label} on ${what}, ${shown.length} bars ${isoOfUs(times[0]!)}..${isoOfUs(times[times.length - 1]!)} (${req.info.overlay ? 'overlay' : 'own pane'}). ${describeIndicator(
          {
            name: req.info.name,
            label: req.label,
            overlay: req.info.overlay,
            columns,
            close: shown.map((b) => Number(b.close)),
            times,
          },
        )}`;
        return textResult(summary, compact.csv, compact.note);
      },
    ),
  );
}
