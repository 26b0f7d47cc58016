/**
 * The one WebSocket a client opens at `/ws` (the web page, the MCP App, scripts): JSON text
 * frames both ways. The client subscribes to live streams of any symbol and to its own
 * workspace, and chats; the identity is the connection's (session cookie or bearer token at
 * the upgrade), never a field of a message. Browser-safe (zod only): the page imports it too.
 */
import { z } from 'zod';
import type { Drawing } from '../../mcp-servers/charting/catalogue.ts';
import type { ViewBar } from '../../mcp-servers/charting/view/types.ts';

/** Live streams a client can subscribe to. */
export const LIVE_STREAMS = ['trades', 'bars', 'quotes'] as const;
export type LiveStream = (typeof LIVE_STREAMS)[number];

const series = {
  exchange: z.string().min(1).max(40),
  symbol: z.string().min(1).max(40),
};

/** What a client sends. */
export const clientMessageSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('subscribe'),
    stream: z.enum(LIVE_STREAMS),
    ...series,
    period: z.string().optional(),
  }),
  z.object({
    op: z.literal('unsubscribe'),
    stream: z.enum(LIVE_STREAMS),
    ...series,
    period: z.string().optional(),
  }),
  /** Chat with a soul (default the coordinator); the answer streams as `chat.*` messages. */
  z.object({ op: z.literal('chat'), text: z.string().trim().min(1).max(8000), soul: z.string().optional() }),
  /** Cancels the running chat turn. */
  z.object({ op: z.literal('chat.cancel') }),
  /** The user saw these alerts (dismissed the toast): they leave the unseen list. */
  z.object({ op: z.literal('alerts.seen'), ids: z.array(z.string().min(1).max(128)).min(1).max(100) }),
  z.object({ op: z.literal('ping') }),
]);
export type ClientMessage = z.output<typeof clientMessageSchema>;

/** A live bar (forming or final): the chart view's candle (prices as numbers, time in epoch seconds) and its series. */
export interface BarMessage extends ViewBar {
  readonly type: 'bar';
  readonly exchange: string;
  readonly symbol: string;
  readonly period: string;
  readonly final: boolean;
}

export interface TradeMessage {
  readonly type: 'trade';
  readonly exchange: string;
  readonly symbol: string;
  /** Epoch microseconds. */
  readonly timeUs: number;
  readonly price: number;
  readonly qty: number;
  readonly side: 'buy' | 'sell';
  readonly seq: number;
}

export interface QuoteMessage {
  readonly type: 'quote';
  readonly exchange: string;
  readonly symbol: string;
  readonly timeUs: number;
  readonly bid?: number;
  readonly ask?: number;
  readonly last?: number;
}

/** The caller's workspace after any change, from any channel. */
export interface WorkspaceMessage {
  readonly type: 'workspace';
  readonly workspace: {
    readonly workspaceId: string;
    readonly chart: unknown;
    readonly indicators: readonly { id: string; name: string; params: Record<string, number> }[];
    readonly drawings: readonly { id: string; drawing: Drawing }[];
    readonly updatedAt: string;
  };
}

/** The chat stream of one turn: text deltas, tool progress, images (URLs under /files/), the end. */
export type ChatMessage =
  | { readonly type: 'chat.start'; readonly turn: string; readonly soul: string }
  | { readonly type: 'chat.delta'; readonly turn: string; readonly text: string }
  | {
      readonly type: 'chat.tool';
      readonly turn: string;
      readonly name: string;
      readonly state: 'running' | 'done' | 'error';
    }
  | { readonly type: 'chat.image'; readonly turn: string; readonly url: string; readonly mediaType: string }
  | { readonly type: 'chat.done'; readonly turn: string; readonly text: string }
  | { readonly type: 'chat.error'; readonly turn?: string; readonly why: string };

/** A fired alert as the page shows it. */
export interface AlertView {
  readonly alertId: string;
  readonly ruleId: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly kind: string;
  readonly message: string;
  readonly value: number;
  readonly threshold: number;
  /** Event time of the trigger, epoch µs. */
  readonly timeUs: number;
}

/**
 * `alert`: one alert just delivered to this user (sent once, to each open connection);
 * `alerts.unseen`: on connect, the alerts delivered and not yet marked seen (`alerts.seen`),
 * oldest first, so alerts fired while no page was open are shown then.
 */
export type AlertMessages =
  | { readonly type: 'alert'; readonly alert: AlertView }
  | { readonly type: 'alerts.unseen'; readonly alerts: readonly AlertView[] };

/** Sent instead of messages a slow client could not take: how many of which stream were skipped. */
export interface DroppedMessage {
  readonly type: 'dropped';
  readonly stream: LiveStream;
  readonly count: number;
}

export type ServerMessage =
  | BarMessage
  | TradeMessage
  | QuoteMessage
  | WorkspaceMessage
  | ChatMessage
  | AlertMessages
  | DroppedMessage
  | {
      readonly type: 'hello';
      readonly userId: string;
      readonly workspaceId: string;
      readonly chat: boolean;
      readonly chatWhy?: string;
    }
  | {
      readonly type: 'subscribed' | 'unsubscribed';
      readonly stream: LiveStream;
      readonly exchange: string;
      readonly symbol: string;
      readonly period?: string;
    }
  | { readonly type: 'error'; readonly why: string }
  | { readonly type: 'pong' };
