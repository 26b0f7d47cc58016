/**
 * `create_alert`, `list_alerts`, `delete_alert`: the caller's alert rules (pipeline/alerts),
 * evaluated on the live stream by the alerts stage and delivered to the web page and Telegram.
 * The user and workspace come from the request context; the count limit from their licence.
 * A `drawing_id` copies a trend line's, ray's, zone's or horizontal line's anchors from the
 * caller's workspace into the rule.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ZodError, z } from 'zod';
import { BUILT_PERIODS } from '../../../core/periods/index.ts';
import {
  ALERT_RULE_KINDS,
  AlertLimitError,
  type AlertRule,
  CANDLE_PATTERNS,
  type NewAlertRule,
} from '../../../pipeline/alerts/index.ts';
import { barsDataset, TRADES_DATASET } from '../../../pipeline/store/index.ts';
import {
  exchangeField,
  formatNumber,
  guard,
  invalidArgument,
  isoOfUs,
  type MarketDataSource,
  parseTime,
  type RequestContext,
  resolveSeries,
  type SeriesId,
  symbolField,
  type ToolExtra,
  textResult,
  toCsv,
} from '../../common/index.ts';
import type { WorkspaceStore } from '../../workspace/index.ts';
import type { AlertToolsDeps, MarketDataServerDeps } from '../deps.ts';

const anchorField = z
  .object({
    time: z.string().min(4).max(40).describe('Anchor time, ISO 8601 UTC (2024-08-08T23:54:00Z).'),
    price: z.number().finite().positive().describe('Anchor price.'),
  })
  .describe('A point of a trend line.');

export const createAlertInput = z.object({
  kind: z
    .enum(ALERT_RULE_KINDS as [AlertRule['kind'], ...AlertRule['kind'][]])
    .optional()
    .describe(
      'Rule kind (optional with drawing_id): price_level {level, direction}; percent_move {percent, window_minutes, direction}; ' +
        'volume_spike {period, lookback, multiplier}; ma_cross {period, average, fast, slow, direction}; ' +
        'indicator_threshold {period, indicator, params?, output?, condition, threshold}; candle_pattern {period, pattern}; ' +
        'trend_line {from, to, extend?, on?, period?, direction} or drawing_id; zone {zone_low, zone_high, event} or drawing_id.',
    ),
  symbol: symbolField,
  exchange: exchangeField,
  drawing_id: z
    .string()
    .min(1)
    .max(40)
    .optional()
    .describe(
      'Id of a drawing in your workspace to alert on: a trendline or ray (→ trend_line with its anchors), a rect (→ zone between its prices) or an hline (→ price_level).',
    ),
  level: z.number().finite().positive().optional().describe('price_level: the price to cross.'),
  direction: z
    .enum(['up', 'down', 'either'])
    .optional()
    .describe('Crossing direction (price_level, percent_move, ma_cross, trend_line); default either.'),
  percent: z.number().finite().positive().optional().describe('percent_move: the move in %.'),
  window_minutes: z.number().positive().optional().describe('percent_move: the window, minutes.'),
  period: z
    .enum(BUILT_PERIODS as [string, ...string[]])
    .optional()
    .describe(`Bar period of bar rules: ${BUILT_PERIODS.join(', ')}.`),
  lookback: z.number().int().optional().describe('volume_spike: bars of the average (2..500).'),
  multiplier: z.number().finite().positive().optional().describe('volume_spike: × the average volume.'),
  average: z.enum(['sma', 'ema']).optional().describe('ma_cross: moving average type.'),
  fast: z.number().int().optional().describe('ma_cross: fast length.'),
  slow: z.number().int().optional().describe('ma_cross: slow length (> fast).'),
  indicator: z.string().min(1).max(32).optional().describe('indicator_threshold: indicator name, e.g. rsi.'),
  params: z
    .record(z.string(), z.number().finite())
    .optional()
    .describe('indicator_threshold: indicator parameters, e.g. {"length": 14}.'),
  output: z
    .string()
    .min(1)
    .max(32)
    .optional()
    .describe('indicator_threshold: output column (default first).'),
  condition: z.enum(['above', 'below']).optional().describe('indicator_threshold: above or below threshold.'),
  threshold: z.number().finite().optional().describe('indicator_threshold: the value, e.g. 70.'),
  pattern: z
    .enum(CANDLE_PATTERNS)
    .optional()
    .describe(`candle_pattern: ${CANDLE_PATTERNS.join(', ')}.`),
  from: anchorField.optional().describe('trend_line: first anchor (or use drawing_id).'),
  to: anchorField.optional().describe('trend_line: second anchor.'),
  extend: z
    .enum(['none', 'right', 'both'])
    .optional()
    .describe('trend_line: where beyond its anchors the line counts (default right).'),
  on: z
    .enum(['trade', 'bar'])
    .optional()
    .describe('trend_line: compare each trade (default) or each final bar close (needs period).'),
  zone_low: z.number().finite().positive().optional().describe('zone: lower price (or use drawing_id).'),
  zone_high: z.number().finite().positive().optional().describe('zone: upper price.'),
  event: z.enum(['enter', 'exit', 'either']).optional().describe('zone: fire on entering, exiting or both.'),
  mode: z
    .enum(['once', 'recurring'])
    .optional()
    .describe('once (default): fires once then is done; recurring: fires again after cooldown_minutes.'),
  cooldown_minutes: z.number().min(0).optional().describe('recurring: least minutes between two fires.'),
  expires: z.string().max(40).optional().describe('After this time (ISO 8601 UTC) the rule never fires.'),
  note: z.string().max(500).optional().describe('Your note, carried into the alert message.'),
});
export type CreateAlertArgs = z.infer<typeof createAlertInput>;

export const listAlertsInput = z.object({
  symbol: z.string().max(40).optional().describe('Only the rules of this symbol.'),
});
export const deleteAlertInput = z.object({
  alert_id: z.string().min(1).max(128).describe('Rule id, as list_alerts shows it.'),
});

const drop = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The rule a drawing stands for: its kind and the fields copied from it. */
async function fromDrawing(
  workspaces: WorkspaceStore,
  key: { userId: string; workspaceId: string },
  drawingId: string,
): Promise<Record<string, unknown>> {
  const ws = await workspaces.load(key);
  const found = ws.drawings.find((d) => d.id === drawingId);
  if (found === undefined)
    invalidArgument(
      'drawing_id',
      `no drawing "${drawingId}" in workspace ${key.workspaceId}; its drawings: ${ws.drawings.map((d) => `${d.id} (${d.drawing.type})`).join(', ') || 'none'}`,
    );
  const d = found.drawing;
  switch (d.type) {
    case 'trendline':
    case 'ray':
      return {
        kind: 'trend_line',
        from: { time: d.from.time, price: d.from.price },
        to: { time: d.to.time, price: d.to.price },
        ...(d.type === 'ray' ? { extend: 'right' } : {}),
      };
    case 'rect':
      return { kind: 'zone', from: d.from.price, to: d.to.price };
    case 'hline':
      return { kind: 'price_level', level: d.price };
    default:
      return invalidArgument(
        'drawing_id',
        `drawing ${drawingId} is a ${d.type}; alerts follow a trendline, ray, rect (zone) or hline`,
      );
  }
}

/** The tool's arguments as a rule for the store (validated there against the kind's schema). */
async function ruleOf(
  args: CreateAlertArgs,
  market: MarketDataSource,
  alerts: AlertToolsDeps,
  key: { userId: string; workspaceId: string },
): Promise<{ rule: NewAlertRule; series: SeriesId }> {
  const series = await resolveSeries(market, args.symbol, args.exchange);
  const drawn =
    args.drawing_id === undefined ? {} : await fromDrawing(alerts.workspaces, key, args.drawing_id);
  const kind = (drawn.kind as string | undefined) ?? args.kind;
  if (kind === undefined)
    invalidArgument('kind', `give a kind (${ALERT_RULE_KINDS.join(', ')}) or a drawing_id`);
  if (args.kind !== undefined && args.kind !== kind)
    invalidArgument('kind', `drawing ${args.drawing_id} makes a ${kind} rule, not ${args.kind}; omit kind`);
  const anchor = (a: { time: string; price: number } | undefined, field: string) =>
    a === undefined ? undefined : { time: parseTime(a.time, field), price: a.price };
  const common = drop({
    workspaceId: key.workspaceId,
    venue: series.venue,
    symbol: series.symbol,
    mode: args.mode,
    cooldownMs: args.cooldown_minutes === undefined ? undefined : Math.round(args.cooldown_minutes * 60_000),
    expiresAtUs: args.expires === undefined ? undefined : parseTime(args.expires, 'expires'),
    note: args.note,
  });
  const direction = args.direction ?? 'either';
  const fields: Record<string, Record<string, unknown>> = {
    price_level: { level: args.level, direction },
    percent_move: {
      percent: args.percent,
      windowMs: args.window_minutes === undefined ? undefined : Math.round(args.window_minutes * 60_000),
      direction,
    },
    volume_spike: { period: args.period, lookback: args.lookback, multiplier: args.multiplier },
    ma_cross: { period: args.period, average: args.average, fast: args.fast, slow: args.slow, direction },
    indicator_threshold: {
      period: args.period,
      indicator: args.indicator,
      params: args.params,
      output: args.output,
      condition: args.condition,
      threshold: args.threshold,
    },
    candle_pattern: { period: args.period, pattern: args.pattern },
    trend_line: {
      from: anchor(args.from, 'from'),
      to: anchor(args.to, 'to'),
      extend: args.extend,
      on: args.on,
      period: args.period,
      direction,
    },
    zone: { from: args.zone_low, to: args.zone_high, event: args.event ?? 'either' },
  };
  return { rule: { kind, ...common, ...drop(fields[kind] ?? {}), ...drawn } as NewAlertRule, series };
}

/** The tool argument a rule field came from, so an error names what the caller sent. */
function toolFieldOf(kind: string, ruleField: string): string {
  if (kind === 'zone' && ruleField === 'from') return 'zone_low';
  if (kind === 'zone' && ruleField === 'to') return 'zone_high';
  const renamed: Record<string, string> = {
    windowMs: 'window_minutes',
    cooldownMs: 'cooldown_minutes',
    expiresAtUs: 'expires',
    venue: 'exchange',
  };
  return renamed[ruleField] ?? ruleField;
}

/** One line per rule: what it watches. */
export function describeRule(r: AlertRule): string {
  switch (r.kind) {
    case 'price_level':
      return `price crosses ${formatNumber(r.level, 10)} (${r.direction})`;
    case 'percent_move':
      return `moves ${r.percent}% within ${r.windowMs / 60_000} min (${r.direction})`;
    case 'volume_spike':
      return `${r.period} volume ≥ ${r.multiplier}× the ${r.lookback}-bar average`;
    case 'ma_cross':
      return `${r.average}${r.fast} crosses ${r.average}${r.slow} on ${r.period} (${r.direction})`;
    case 'indicator_threshold':
      return `${r.indicator}${r.output ? `.${r.output}` : ''} ${r.condition} ${r.threshold} on ${r.period} close`;
    case 'candle_pattern':
      return `${r.pattern} on ${r.period} close`;
    case 'trend_line':
      return `crosses the line ${formatNumber(r.from.price, 10)}@${isoOfUs(r.from.time)} → ${formatNumber(r.to.price, 10)}@${isoOfUs(r.to.time)} (${r.direction}, extend ${r.extend}, on ${r.on}${r.period ? ` ${r.period}` : ''})`;
    case 'zone':
      return `${r.event} the zone ${formatNumber(Math.min(r.from, r.to), 10)}–${formatNumber(Math.max(r.from, r.to), 10)}`;
  }
}

/** Who creates an alert: the rule is theirs, in their workspace, held to their licence's limit. */
export type AlertCaller = Pick<RequestContext, 'userId' | 'workspaceId' | 'licence'>;

/** What {@link createAlert} reads besides the caller. */
export interface CreateAlertDeps {
  readonly market: MarketDataSource;
  readonly alerts: AlertToolsDeps;
  /**
   * Open time (µs) of the newest LIVE bar of a series the caller holds (the gateway's live bar
   * cache), newer than the store when the store lags the stream; absent: the store only.
   */
  readonly liveTimeUs?: (series: SeriesId) => number | null;
  /** Wall clock (ms), used only when nothing of the series is known; default `Date.now`. */
  readonly now?: () => number;
}

/** A rule just created and how many of the caller's licence it uses. */
export interface CreatedAlert {
  readonly rule: AlertRule;
  readonly used: number;
  readonly limit: number;
}

const MINUTE_US = 60_000_000;

/**
 * The series' market time now, as a safe lower bound of its next event: the newest stored trade's
 * time, else (no trades stored) the end of the newest stored 1m bar — both from the catalog, no
 * query — or the open of the newest live bar when later; wall clock when none is known. A rule
 * created "now" must fire on the stream's next events even when the stream replays old recordings,
 * so its creation is this market time, not the wall clock (the evaluator ignores events before a
 * rule's creation). The last trade wins over its 1m bar: that bar may still have been forming.
 */
export function marketTimeUs(deps: CreateAlertDeps, series: SeriesId): number {
  let lastTrade = Number.NEGATIVE_INFINITY;
  let barEnd = Number.NEGATIVE_INFINITY;
  for (const s of deps.market.describeSeries({ venue: series.venue, symbol: series.symbol })) {
    if (s.rows === 0) continue;
    if (s.dataset === TRADES_DATASET) lastTrade = Math.max(lastTrade, s.maxTimeUs);
    else if (s.dataset === barsDataset('1m')) barEnd = Math.max(barEnd, s.maxTimeUs + MINUTE_US);
  }
  let latest = Number.isFinite(lastTrade) ? lastTrade : barEnd;
  const live = deps.liveTimeUs?.(series);
  if (live != null) latest = Math.max(latest, live);
  return Number.isFinite(latest) ? latest : (deps.now ?? Date.now)() * 1000;
}

/**
 * Creates an alert rule for `caller` from `create_alert`'s arguments: the one creation path of
 * every channel (the MCP tool, the web page's `POST /api/alerts`, Telegram's `/alerts`). Resolves
 * the symbol, copies a drawing's anchors, holds the licence's limit and sets the creation to the
 * series' market time ({@link marketTimeUs}). Throws ToolInputError naming the argument at fault.
 */
export async function createAlert(
  deps: CreateAlertDeps,
  caller: AlertCaller,
  args: CreateAlertArgs,
): Promise<CreatedAlert> {
  const alerts = deps.alerts;
  const key = { userId: caller.userId, workspaceId: caller.workspaceId };
  const { rule, series } = await ruleOf(args, deps.market, alerts, key);
  const limit = alerts.limitOf(caller.licence);
  if (limit <= 0) invalidArgument('licence', `your licence (${caller.licence}) includes no alerts`);
  try {
    const created = alerts.rules.create(caller.userId, rule, limit, marketTimeUs(deps, series));
    return { rule: created, used: alerts.rules.list(caller.userId).length, limit };
  } catch (error) {
    if (error instanceof AlertLimitError)
      invalidArgument('licence', `${error.message} (list_alerts shows them, delete_alert removes one)`);
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const field = toolFieldOf(rule.kind, String(issue?.path[0] ?? 'kind'));
      invalidArgument(field, `${issue?.message ?? 'invalid'} (for a ${rule.kind} rule)`);
    }
    throw error;
  }
}

/** Registers the three alert tools (needs `deps.alerts`). */
export function registerAlertTools(server: McpServer, deps: MarketDataServerDeps): void {
  const alerts = deps.alerts;
  if (alerts === undefined) return;
  server.registerTool(
    'create_alert',
    {
      title: 'Create alert',
      description:
        'Sets an alert rule on the live stream for you: price level, % move, volume spike, MA cross, indicator threshold, candle pattern, trend line or zone (drawing_id: one of your workspace drawings). It fires once (or recurring with a cooldown, until it expires) and reaches your web page and Telegram.',
      inputSchema: createAlertInput,
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
    },
    guard('create_alert', deps.logger, async (args: CreateAlertArgs, extra: ToolExtra) => {
      const {
        rule: created,
        used,
        limit,
      } = await createAlert(
        { market: deps.market, alerts, ...(deps.now ? { now: deps.now } : {}) },
        deps.resolveContext(extra),
        args,
      );
      return textResult(
        `Alert ${created.id} set on ${created.venue}:${created.symbol}: ${describeRule(created)}, ${created.mode}${created.mode === 'recurring' ? ` (cooldown ${created.cooldownMs / 60_000} min)` : ''}${created.expiresAtUs === undefined ? '' : `, until ${isoOfUs(created.expiresAtUs)}`}; counts from ${isoOfUs(created.createdAtUs)} (market time). ${used}/${limit} alerts used.`,
      );
    }),
  );
  server.registerTool(
    'list_alerts',
    {
      title: 'List alerts',
      description: 'Your alert rules: id, symbol, kind, what each watches, mode, creation and expiry.',
      inputSchema: listAlertsInput,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('list_alerts', deps.logger, async (args: z.infer<typeof listAlertsInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      const wanted = args.symbol?.toUpperCase().replace(/[^A-Z0-9]/g, '');
      const rules = alerts.rules.list(ctx.userId).filter((r) => wanted === undefined || r.symbol === wanted);
      const limit = alerts.limitOf(ctx.licence);
      if (rules.length === 0) return textResult(`No alerts${wanted ? ` on ${wanted}` : ''}; limit ${limit}.`);
      return textResult(
        `${rules.length} alert(s); limit ${limit}.`,
        toCsv(
          ['id', 'symbol', 'kind', 'rule', 'mode', 'created', 'expires'],
          rules.map((r) => [
            r.id,
            `${r.venue}:${r.symbol}`,
            r.kind,
            describeRule(r),
            r.mode,
            isoOfUs(r.createdAtUs),
            r.expiresAtUs === undefined ? '' : isoOfUs(r.expiresAtUs),
          ]),
        ),
      );
    }),
  );
  server.registerTool(
    'delete_alert',
    {
      title: 'Delete alert',
      description: 'Deletes one of your alert rules by id (list_alerts shows them).',
      inputSchema: deleteAlertInput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard('delete_alert', deps.logger, async (args: z.infer<typeof deleteAlertInput>, extra: ToolExtra) => {
      const ctx = deps.resolveContext(extra);
      if (!alerts.rules.delete(ctx.userId, args.alert_id))
        invalidArgument('alert_id', `you have no alert "${args.alert_id}"; list_alerts shows yours`);
      return textResult(`Alert ${args.alert_id} deleted.`);
    }),
  );
}
