/// <reference lib="dom" />
/** The status line (DOM): connection state, the shown series, last price, its time and source. */
import type { ConnectionState } from './live-socket.ts';
import type { ShownSeries } from './subscriptions.ts';

export interface StatusElements {
  readonly connection: HTMLElement;
  readonly series: HTMLElement;
  readonly price: HTMLElement;
  readonly asOf: HTMLElement;
  readonly source: HTMLElement;
  readonly error: HTMLElement;
}

export interface LastPrice {
  readonly price: number | string;
  /** Epoch ms. */
  readonly time: number;
  readonly source: string;
}

export interface StatusLine {
  connection(state: ConnectionState): void;
  series(series: ShownSeries): void;
  price(last: LastPrice | undefined): void;
  /** A problem the user should see (a failed request); empty clears it. */
  error(text: string): void;
}

/** Decimals of a price as the feed sent it (`61661.99` → 2). */
const decimalsOf = (price: number): number => {
  const text = String(price);
  const dot = text.indexOf('.');
  return dot < 0 || text.includes('e') ? 0 : text.length - dot - 1;
};

/**
 * The mid of a bid and an ask, rounded to one decimal more than they carry: binary floating
 * point would print `(61661.99 + 61662) / 2` as 61661.994999999995.
 */
export function midPrice(bid: number, ask: number): number {
  const decimals = Math.min(Math.max(decimalsOf(bid), decimalsOf(ask)) + 1, 12);
  return Number(((bid + ask) / 2).toFixed(decimals));
}

/** Words for a connection state. */
export function describeConnection(state: ConnectionState): string {
  switch (state.kind) {
    case 'connecting':
      return state.attempt > 1 ? `connecting (attempt ${state.attempt})…` : 'connecting…';
    case 'open':
      return '● live';
    case 'waiting':
      return `disconnected${state.reason ? ` (${state.reason})` : ''}; retrying in ${Math.ceil(state.retryInMs / 1000)} s`;
    case 'closed':
      return `disconnected${state.reason ? `: ${state.reason}` : ''}`;
  }
}

export function createStatusLine(elements: StatusElements): StatusLine {
  return {
    connection(state) {
      elements.connection.dataset.state = state.kind;
      elements.connection.textContent = describeConnection(state);
    },
    series(series) {
      elements.series.textContent = `${series.exchange}:${series.symbol} · ${series.period}`;
    },
    price(last) {
      elements.price.textContent = last === undefined ? '' : `last ${last.price}`;
      elements.asOf.textContent =
        last === undefined
          ? ''
          : `as of ${new Date(last.time).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
      elements.source.textContent = last === undefined ? '' : `source: ${last.source}`;
    },
    error(text) {
      elements.error.textContent = text;
    },
  };
}
