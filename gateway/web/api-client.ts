/**
 * The page's calls to the gateway's HTTP API (same origin, session cookie), each answer checked
 * with zod. Plain: `fetch` is handed in.
 */
import * as z from 'zod';
import type { Drawing } from '../../mcp-servers/charting/catalogue.ts';
import {
  type AlertList,
  type AlertRequest,
  alertListSchema,
  createdAlertSchema,
  type PageAlertRule,
} from './alert-rules.ts';
import { type CandlesAnswer, candlesAnswerSchema } from './candles.ts';
import type { ShownSeries } from './subscriptions.ts';
import { type SymbolEntry, symbolsAnswerSchema } from './symbol-search.ts';
import { type PageWorkspace, pageWorkspaceSchema } from './workspace-state.ts';

/** The API answered with an error status (the gateway's `{ error, why? }` body when it has one). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly path: string,
    readonly why: string,
  ) {
    super(`${path}: ${status} ${why}`);
  }
}

export const quoteSchema = z.object({
  exchange: z.string(),
  symbol: z.string(),
  price: z.string().nullable(),
  time: z.string().nullable(),
  source: z.enum(['live', 'store']).nullable(),
});
export type Quote = z.output<typeof quoteSchema>;

const errorBody = z.object({ error: z.string().optional(), why: z.string().optional() });

export interface ApiClient {
  symbols(): Promise<SymbolEntry[]>;
  /** The latest `limit` bars of `series`. */
  candles(series: ShownSeries, limit: number, signal?: AbortSignal): Promise<CandlesAnswer>;
  quote(series: Pick<ShownSeries, 'exchange' | 'symbol'>): Promise<Quote | undefined>;
  workspace(): Promise<PageWorkspace>;
  /** Makes `series` the workspace's chart (what the agent's brief names); resolves to the workspace. */
  setChart(series: ShownSeries): Promise<PageWorkspace>;
  /** Saves a drawing; resolves to its id and the workspace holding it. */
  addDrawing(drawing: Drawing): Promise<{ id: string; workspace: PageWorkspace }>;
  /** Removes a drawing; resolves to the workspace without it. */
  deleteDrawing(id: string): Promise<PageWorkspace>;
  /** The caller's alert rules and their licence's limit. */
  alerts(): Promise<AlertList>;
  /** Creates an alert rule (`create_alert`'s arguments). */
  createAlert(request: AlertRequest): Promise<{ alert: PageAlertRule; used: number; limit: number }>;
  deleteAlert(id: string): Promise<void>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export function createApiClient(fetchFn: FetchLike, base = ''): ApiClient {
  async function call<S extends z.ZodType>(
    path: string,
    schema: S,
    init?: RequestInit,
  ): Promise<z.output<S>> {
    const response = await fetchFn(`${base}${path}`, {
      ...init,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) },
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const parsed = errorBody.safeParse(body);
      const why = parsed.success ? [parsed.data.error, parsed.data.why].filter(Boolean).join(': ') : '';
      throw new ApiError(response.status, path.split('?')[0]!, why || response.statusText);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(response.status, path.split('?')[0]!, `unexpected answer: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  return {
    async symbols() {
      return (await call('/api/symbols', symbolsAnswerSchema)).symbols;
    },
    candles(series, limit, signal) {
      const q = new URLSearchParams({
        symbol: series.symbol,
        exchange: series.exchange,
        interval: series.period,
        limit: String(limit),
      });
      return call(`/api/candles?${q}`, candlesAnswerSchema, signal ? { signal } : undefined);
    },
    async quote(series) {
      const q = new URLSearchParams({ symbols: `${series.exchange}:${series.symbol}` });
      return (await call(`/api/quotes?${q}`, z.object({ quotes: z.array(quoteSchema) }))).quotes[0];
    },
    workspace() {
      return call('/api/workspace', pageWorkspaceSchema);
    },
    async setChart(series) {
      const { exchange, symbol, period } = series;
      return (
        await call('/api/workspace/chart', z.object({ workspace: pageWorkspaceSchema }), {
          method: 'PUT',
          body: JSON.stringify({ exchange, symbol, period }),
        })
      ).workspace;
    },
    addDrawing(drawing) {
      return call('/api/workspace/drawings', z.object({ id: z.string(), workspace: pageWorkspaceSchema }), {
        method: 'PUT',
        body: JSON.stringify({ drawing }),
      });
    },
    async deleteDrawing(id) {
      const path = `/api/workspace/drawings/${encodeURIComponent(id)}`;
      return (await call(path, z.object({ workspace: pageWorkspaceSchema }), { method: 'DELETE' })).workspace;
    },
    alerts() {
      return call('/api/alerts', alertListSchema);
    },
    createAlert(request) {
      return call('/api/alerts', createdAlertSchema, { method: 'POST', body: JSON.stringify(request) });
    },
    async deleteAlert(id) {
      await call(`/api/alerts/${encodeURIComponent(id)}`, z.object({ deleted: z.string() }), {
        method: 'DELETE',
      });
    },
  };
}
