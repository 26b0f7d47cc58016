/**
 * The page's alert rules (plain): the `/api/alerts` answers as the page reads them, and the
 * requests its Alerts panel sends — "alert when price crosses <level>" (prefilled with the last
 * price) and "alert on cross" of a selected drawing (`drawing_id`, the server copies its anchors).
 * The request bodies are `create_alert`'s arguments; the server validates them with its schema.
 */
import * as z from 'zod';
import type { ViewDrawing } from '../../mcp-servers/charting/view/types.ts';
import type { ShownSeries } from './subscriptions.ts';

export const alertRuleSchema = z.object({
  id: z.string(),
  exchange: z.string(),
  symbol: z.string(),
  kind: z.string(),
  description: z.string(),
  mode: z.enum(['once', 'recurring']),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type PageAlertRule = z.output<typeof alertRuleSchema>;

export const alertListSchema = z.object({
  alerts: z.array(alertRuleSchema),
  used: z.number(),
  limit: z.number(),
});
export type AlertList = z.output<typeof alertListSchema>;

export const createdAlertSchema = z.object({ alert: alertRuleSchema, used: z.number(), limit: z.number() });

/** A `POST /api/alerts` body: `create_alert`'s arguments. */
export interface AlertRequest {
  readonly symbol: string;
  readonly exchange: string;
  readonly kind?: 'price_level';
  readonly level?: number;
  readonly direction?: 'up' | 'down' | 'either';
  readonly drawing_id?: string;
}

/** The level input's starting text: the last price as it came (`61661.99`), empty when none. */
export function levelPrefill(lastPrice: number | string | undefined): string {
  if (lastPrice === undefined) return '';
  const n = Number(lastPrice);
  return Number.isFinite(n) && n > 0 ? String(lastPrice) : '';
}

/**
 * The request for "alert when price crosses <level>", or why not: a positive number is needed.
 * Direction: up when the level is above the last price, down when below (either when unknown or
 * equal), so the rule says which way the user expects the price to go.
 */
export function levelAlertRequest(
  series: Pick<ShownSeries, 'exchange' | 'symbol'>,
  levelText: string,
  lastPrice?: number | string,
): AlertRequest | { readonly error: string } {
  const text = levelText.trim().replace(/,/g, '');
  const level = Number(text);
  if (text === '' || !Number.isFinite(level) || level <= 0)
    return { error: `"${levelText}" is not a price: give a positive number, e.g. 61000` };
  const last = lastPrice === undefined ? Number.NaN : Number(lastPrice);
  const direction = !Number.isFinite(last) || last === level ? 'either' : level > last ? 'up' : 'down';
  return { symbol: series.symbol, exchange: series.exchange, kind: 'price_level', level, direction };
}

/** Drawing types an alert can follow: a line or ray (trend_line), a rectangle (zone), a horizontal line. */
export const ALERTABLE_DRAWINGS = ['trendline', 'ray', 'rect', 'hline'] as const;

/** What "alert on cross" does with the selected drawing: its request, or why it cannot. */
export function drawingAlertRequest(
  series: Pick<ShownSeries, 'exchange' | 'symbol'>,
  selected: ViewDrawing | undefined,
): AlertRequest | { readonly error: string } {
  if (selected === undefined)
    return { error: 'Select a trend line, rectangle or horizontal line on the chart first.' };
  const type = selected.drawing.type;
  if (!(ALERTABLE_DRAWINGS as readonly string[]).includes(type))
    return {
      error: `A ${type} has no price to cross; alerts follow a trend line, ray, rectangle or horizontal line.`,
    };
  return { symbol: series.symbol, exchange: series.exchange, drawing_id: selected.id };
}

/** A label for the "alert on cross" action: which drawing it applies to, or undefined when none. */
export function drawingActionLabel(selected: ViewDrawing | undefined): string | undefined {
  if (selected === undefined || !(ALERTABLE_DRAWINGS as readonly string[]).includes(selected.drawing.type))
    return undefined;
  const names: Record<string, string> = { trendline: 'trend line', ray: 'ray', rect: 'zone', hline: 'line' };
  return `Alert when price crosses the selected ${names[selected.drawing.type]} (${selected.id})`;
}

/** One row of the list: `BTCUSDT · price crosses 61000 (up) · once`. */
export function ruleRowText(rule: PageAlertRule): string {
  return `${rule.symbol} · ${rule.description} · ${rule.mode}${rule.expiresAt ? ` until ${rule.expiresAt}` : ''}`;
}

/** The panel's heading count: `2/10 alerts`. */
export function usageText(list: Pick<AlertList, 'used' | 'limit'>): string {
  return list.limit <= 0 ? 'Your licence includes no alerts.' : `${list.used}/${list.limit} alerts`;
}
