/**
 * Pull-based live streams: a subscription remembers a series and a cursor; `read` long-polls
 * for trades (by seq) or bar updates (new bars and the forming bar's changes) past the cursor.
 * This implementation polls the store, which writers commit to every few seconds; a realtime
 * feed (ZeroMQ) can implement {@link LiveSource} later without changing the tools.
 */
import { randomBytes } from 'node:crypto';
import type { StoredBar, StoredTrade } from '../../pipeline/store/index.ts';
import { invalidArgument, type MarketDataSource, type SeriesId } from '../common/index.ts';

/** What a subscription streams. */
export type WatchStream = 'trades' | 'bars';

/** One subscription. */
export interface WatchSubscription {
  readonly id: string;
  readonly ownerId: string;
  readonly series: SeriesId;
  readonly stream: WatchStream;
  readonly period: string;
  lastUsedAt: number;
}

/** A batch of updates and the cursor to read on from. */
export interface WatchBatch {
  readonly trades: StoredTrade[];
  readonly bars: StoredBar[];
  readonly cursor: string;
  readonly waitedMs: number;
}

/** Options of {@link createWatchRegistry}. */
export interface WatchRegistryOptions {
  readonly market: MarketDataSource;
  /** Store poll interval while waiting (ms). Default 250. */
  readonly pollMs?: number;
  /** Most live subscriptions per user. Default 20. */
  readonly maxPerOwner?: number;
  /** Subscriptions unused this long are dropped (ms). Default 15 min. */
  readonly idleMs?: number;
  readonly now?: () => number;
}

/** Handle on the subscriptions of one process. */
export interface WatchRegistry {
  subscribe(
    ownerId: string,
    series: SeriesId,
    stream: WatchStream,
    period: string,
  ): Promise<{ sub: WatchSubscription; cursor: string }>;
  read(
    ownerId: string,
    id: string,
    cursor: string | undefined,
    waitMs: number,
    max: number,
    signal?: AbortSignal,
  ): Promise<WatchBatch>;
  unsubscribe(ownerId: string, id: string): boolean;
  list(ownerId: string): WatchSubscription[];
}

const enc = (parts: (string | number)[]) => Buffer.from(parts.join('|')).toString('base64url');
const dec = (cursor: string) => Buffer.from(cursor, 'base64url').toString('utf8').split('|');

/** Creates the registry. */
export function createWatchRegistry(options: WatchRegistryOptions): WatchRegistry {
  const { market } = options;
  const pollMs = options.pollMs ?? 250;
  const maxPerOwner = options.maxPerOwner ?? 20;
  const idleMs = options.idleMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const subs = new Map<string, WatchSubscription>();

  function sweep(): void {
    const t = now();
    for (const [id, s] of subs) if (t - s.lastUsedAt > idleMs) subs.delete(id);
  }

  function find(ownerId: string, id: string): WatchSubscription {
    sweep();
    const s = subs.get(id);
    if (s === undefined || s.ownerId !== ownerId) {
      const mine = [...subs.values()].filter((x) => x.ownerId === ownerId).map((x) => x.id);
      invalidArgument(
        'subscription',
        `no subscription "${id}" (they expire after ${idleMs / 60_000} min unused); yours: ${mine.join(', ') || 'none'}`,
      );
    }
    s.lastUsedAt = now();
    return s;
  }

  async function head(s: WatchSubscription): Promise<string> {
    if (s.stream === 'trades') {
      const summary = market.describeSeries({
        dataset: 'trades',
        venue: s.series.venue,
        symbol: s.series.symbol,
      })[0];
      return enc(['s', summary?.maxSeq ?? 0]);
    }
    const bar = await market.latestBar({ ...s.series, period: s.period });
    return bar === null ? enc(['b', 0, '', '']) : enc(['b', bar.openTimeUs, bar.close, bar.volume]);
  }

  async function poll(
    s: WatchSubscription,
    cursor: string,
    max: number,
  ): Promise<{ trades: StoredTrade[]; bars: StoredBar[]; cursor: string }> {
    const parts = dec(cursor);
    if (s.stream === 'trades') {
      const seq = Number(parts[1]);
      if (parts[0] !== 's' || !Number.isInteger(seq) || seq < 0)
        invalidArgument(
          'cursor',
          `"${cursor}" is not a cursor of this subscription; use the cursor of the last read`,
        );
      const trades = await market.getTrades({ ...s.series, fromSeq: seq + 1, limit: max });
      return {
        trades,
        bars: [],
        cursor: trades.length ? enc(['s', trades[trades.length - 1]!.seq]) : cursor,
      };
    }
    const open = Number(parts[1]);
    if (parts[0] !== 'b' || !Number.isFinite(open) || open < 0)
      invalidArgument(
        'cursor',
        `"${cursor}" is not a cursor of this subscription; use the cursor of the last read`,
      );
    const bars = await market.getBars({
      ...s.series,
      period: s.period,
      fromUs: Math.max(open, 1),
      limit: max + 1,
    });
    // The bar at the cursor is sent again only when it changed (a forming bar got trades).
    const fresh = bars
      .filter((b) => b.openTimeUs > open || b.close !== parts[2] || b.volume !== parts[3])
      .slice(0, max);
    const last = fresh[fresh.length - 1];
    return {
      trades: [],
      bars: fresh,
      cursor: last ? enc(['b', last.openTimeUs, last.close, last.volume]) : cursor,
    };
  }

  return {
    async subscribe(ownerId, series, stream, period) {
      sweep();
      const mine = [...subs.values()].filter((x) => x.ownerId === ownerId);
      if (mine.length >= maxPerOwner) {
        invalidArgument(
          'symbol',
          `you already hold ${maxPerOwner} subscriptions (the most allowed); watch_unsubscribe one of ${mine.map((x) => x.id).join(', ')}`,
        );
      }
      const sub: WatchSubscription = {
        id: `w_${randomBytes(6).toString('hex')}`,
        ownerId,
        series,
        stream,
        period,
        lastUsedAt: now(),
      };
      const cursor = await head(sub);
      subs.set(sub.id, sub);
      return { sub, cursor };
    },
    async read(ownerId, id, cursor, waitMs, max, signal) {
      const s = find(ownerId, id);
      const start = now();
      let at = cursor ?? (await head(s));
      for (;;) {
        const got = await poll(s, at, max);
        at = got.cursor;
        const waited = now() - start;
        if (got.trades.length > 0 || got.bars.length > 0 || waited >= waitMs || signal?.aborted) {
          s.lastUsedAt = now();
          return { ...got, waitedMs: waited };
        }
        await new Promise((r) => setTimeout(r, Math.min(pollMs, waitMs - waited)));
      }
    },
    unsubscribe(ownerId, id) {
      find(ownerId, id);
      return subs.delete(id);
    },
    list(ownerId) {
      sweep();
      return [...subs.values()].filter((x) => x.ownerId === ownerId);
    },
  };
}
