/**
 * The live streams the page wants (bars of the shown period, quotes of the shown symbol) and the
 * subscribe/unsubscribe messages that move the server from what it has to what is wanted. Plain.
 */
import type { ClientMessage, LiveStream } from '../ws/protocol.ts';

/** One live subscription. `period` only for bars. */
export interface Subscription {
  readonly stream: LiveStream;
  readonly exchange: string;
  readonly symbol: string;
  readonly period?: string;
}

/** The series the chart shows. */
export interface ShownSeries {
  readonly exchange: string;
  readonly symbol: string;
  readonly period: string;
}

/** Identity of a subscription, for sets and comparisons. */
export function subscriptionKey(s: Subscription): string {
  return `${s.stream}|${s.exchange}|${s.symbol}|${s.period ?? ''}`;
}

/** What the chart of `series` needs: its forming bars and the symbol's quotes. */
export function subscriptionsFor(series: ShownSeries): Subscription[] {
  const { exchange, symbol, period } = series;
  return [
    { stream: 'bars', exchange, symbol, period },
    { stream: 'quotes', exchange, symbol },
  ];
}

/** The messages that turn `current` into `wanted`: unsubscribes first, then subscribes. */
export function diffSubscriptions(
  current: readonly Subscription[],
  wanted: readonly Subscription[],
): ClientMessage[] {
  const have = new Set(current.map(subscriptionKey));
  const want = new Set(wanted.map(subscriptionKey));
  const messages: ClientMessage[] = [];
  for (const s of current) {
    if (!want.has(subscriptionKey(s))) messages.push({ op: 'unsubscribe', ...s });
  }
  for (const s of wanted) {
    if (!have.has(subscriptionKey(s))) messages.push({ op: 'subscribe', ...s });
  }
  return messages;
}

/** Whether two series are the same chart. */
export function sameSeries(a: ShownSeries | undefined, b: ShownSeries | undefined): boolean {
  return a?.exchange === b?.exchange && a?.symbol === b?.symbol && a?.period === b?.period;
}
