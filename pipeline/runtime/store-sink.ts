import { InvalidInputError, QuantForgeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { BarCodec, EnvelopeCodec, EventType } from '../../proto/index.ts';
import { createTradeEnvelopeReader } from '../../proto/trade-envelope.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { Bus, BusBatch, BusMessage, Subscription } from '../bus/types.ts';
import type { BarRow, StoreReader, StoreWriter, TradeBytes } from '../store/index.ts';
import { checkBarRow, TRADES_DATASET } from '../store/index.ts';

const EMPTY_BYTES = new Uint8Array(0);

/** Bus topics the store sink persists. */
export const STORE_SINK_TOPICS = {
  sequenced: TOPIC_NAMES.normTradeSequenced,
  bars1m: TOPIC_NAMES.bars1m,
  barsDerived: TOPIC_NAMES.barsDerived,
  klines: TOPIC_NAMES.normKline,
} as const;

/** Where a symbol's trades (and the bars built from them) come from. */
const TRADE_SOURCES = ['trade', 'aggTrade'] as const;
type TradeSource = (typeof TRADE_SOURCES)[number];

export interface StoreSinkDeps {
  readonly bus: Bus;
  readonly logger: Logger;
  readonly writer: StoreWriter;
  /** Used once per series to learn the highest seq already stored. */
  readonly reader: StoreReader;
}

export interface StoreSinkOptions {
  readonly groupId?: string;
  /**
   * Store derived periods too (default false: the reader aggregates any period from stored 1m
   * bars exactly, so storing them again only costs space).
   */
  readonly storeDerived?: boolean;
  /**
   * Commits at most once per this many ms (default 250; 0: a commit per batch). The sink must
   * commit a batch before its offsets, and it flushes per bus batch; when batches are small (a
   * quiet market, many partitions) that would be a commit, and a small file per partition, every
   * few ms, each ~3-5 ms of CPU. A batch handled sooner after the last commit waits out the rest
   * of the interval: meanwhile the bus gathers the next, bigger batch, and batches of other
   * partitions handled concurrently go into the same commit. Stored data stays at most this
   * much (plus the flush) behind; 250 keeps it well within a second. Only small batches wait
   * (fewer than {@link SINK_COMMIT_NOW_ROWS} rows): a big one already pays for its commit, and
   * making it wait would cap a busy stream at a batch per interval.
   */
  readonly commitIntervalMs?: number;
}

/** A batch of at least this many trades and bars commits at once, whatever the interval. */
export const SINK_COMMIT_NOW_ROWS = 2000;

/** Default of {@link StoreSinkOptions.commitIntervalMs}. */
export const SINK_COMMIT_INTERVAL_MS = 250;

/** Counters of what the sink wrote and skipped. */
export interface StoreSinkStats {
  trades: number;
  bars: number;
  /** Trades at or below the stored seq (redelivered after a crash): skipped. */
  replayedTrades: number;
  /**
   * Trades and bars of a symbol from the other trade source than the one it is stored from
   * (aggTrades for a symbol stored from plain trades, or the reverse): dead-lettered.
   */
  mixedSource: number;
  /** Bars that were not final yet (forming updates) or derived periods not stored. */
  skippedBars: number;
  /** Records refused and dead-lettered (a trade or bar the store cannot hold, an undecodable one). */
  dead: number;
  /**
   * Records the sink could neither store nor dead-letter (the dead-letter topic could not be
   * written either): lost. A run that ends with any must say so and fail.
   */
  lost: number;
  /** Batches handed back for redelivery after a retriable failure (I/O), at most {@link SINK_MAX_ATTEMPTS} times each. */
  retried: number;
}

/**
 * Deliveries of one batch the sink attempts when it fails retriably (a flush's I/O, a bus
 * error marked `retriable`); after the last, or at once for a non-retriable failure, the batch's
 * records are dead-lettered (and counted lost if that fails too), so no batch is redelivered forever.
 */
export const SINK_MAX_ATTEMPTS = 5;

/** Whether trying again may work: an error's own `retriable` flag, and true for unknown (I/O) errors. */
function isRetriable(error: unknown): boolean {
  return error instanceof QuantForgeError ? error.retriable : true;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Counters of a sink that has seen nothing (also what a process without a sink reports). */
export function emptySinkStats(): StoreSinkStats {
  return {
    trades: 0,
    bars: 0,
    replayedTrades: 0,
    mixedSource: 0,
    skippedBars: 0,
    dead: 0,
    lost: 0,
    retried: 0,
  };
}

/**
 * Persists sequenced trades and bars from the bus into the store. At-least-once delivery,
 * exactly-once effect: each batch is written and its catalog commit made before the batch's
 * offsets are committed; a batch redelivered after a crash is recognised by its seq (trades
 * carry a strict per-series seq, so anything at or below the stored maximum is a replay) and
 * by bar identity (the store keeps one bar per open time, the highest revision).
 */
export async function createStoreSink(
  deps: StoreSinkDeps,
  options: StoreSinkOptions = {},
): Promise<{ stop(): Promise<void>; stats(): StoreSinkStats }> {
  const { bus, writer, reader, logger } = deps;
  const stats = emptySinkStats();
  /** The trade source each VENUE:SYMBOL is stored from (learnt from the store, else the first event). */
  const sources = new Map<string, TradeSource>();

  async function storedSource(venue: string, symbol: string): Promise<TradeSource | undefined> {
    const key = `${venue}:${symbol}`;
    const known = sources.get(key);
    if (known !== undefined) return known;
    const seq = highestStoredSeq(venue, symbol);
    if (seq === 0) return undefined;
    const recent = await reader.getTrades({
      venue,
      symbol,
      fromSeq: Math.max(1, seq - 15),
      toSeq: seq,
      limit: 16,
    });
    if (recent.length === 0) return undefined;
    // The store keeps a plain trade's first and last trade ids equal to its own id; an aggTrade's
    // own id comes from the aggregate id space, apart from the trade ids it stands for.
    const source: TradeSource = recent.some(
      (t) => t.firstTradeId !== t.tradeId || t.lastTradeId !== t.tradeId,
    )
      ? 'aggTrade'
      : 'trade';
    sources.set(key, source);
    return source;
  }

  /**
   * One trade source per symbol: a symbol's bars and seq come from its plain trades or from its
   * aggTrades, never both (mixed, the bars would count each execution twice and two seq spaces
   * would interleave). True when `source` may be stored for the symbol.
   */
  async function acceptSource(message: BusMessage, venue: string, symbol: string, source: TradeSource) {
    const stored = await storedSource(venue, symbol);
    if (stored === undefined) {
      sources.set(`${venue}:${symbol}`, source);
      return true;
    }
    if (stored === source) return true;
    stats.mixedSource++;
    await refuse(message, {
      code: 'mixed_trade_source',
      message:
        `${venue}:${symbol} is stored from ${stored} events; this ${source} event is not stored ` +
        `(one symbol takes one trade source, else its bars would count executions twice). ` +
        `Store the ${source} events in another data dir, or ingest ${stored} events for it.`,
      source: 'runtime.store-sink',
    });
    return false;
  }

  /**
   * Dead-letters `message` and goes on; when even that fails (the DLQ cannot be written) the
   * record is counted lost and logged, never handed back: the sink must not stall on it.
   */
  async function refuse(message: BusMessage, reason: { code: string; message: string; source: string }) {
    try {
      await bus.deadLetter(message, reason);
      if (reason.code !== 'mixed_trade_source') stats.dead++;
    } catch (err) {
      stats.lost++;
      logger.error(
        { err, topic: message.topic, offset: message.offset, code: reason.code, reason: reason.message },
        'store sink: record neither stored nor dead-lettered (lost)',
      );
    }
  }
  /** Highest seq stored per VENUE:SYMBOL. */
  const storedSeq = new Map<string, number>();

  function highestStoredSeq(venue: string, symbol: string, key = `${venue}:${symbol}`): number {
    let seq = storedSeq.get(key);
    if (seq === undefined) {
      const summary = reader.describeSeries({ dataset: TRADES_DATASET, venue, symbol })[0];
      seq = summary?.maxSeq ?? 0;
      storedSeq.set(key, seq);
    }
    return seq;
  }

  const commitIntervalMs = options.commitIntervalMs ?? SINK_COMMIT_INTERVAL_MS;
  /** When the sink last started a flush (epoch ms). */
  let lastFlushMs = 0;

  /**
   * Commits what is buffered (this batch's `rows`, and any other batch's); a small batch waits
   * until the interval since the last commit is over.
   */
  async function commit(rows: number): Promise<void> {
    const wait = rows >= SINK_COMMIT_NOW_ROWS ? 0 : lastFlushMs + commitIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastFlushMs = Date.now();
    // A concurrent batch's flush may have taken this batch's rows already: then this one
    // commits nothing, after that flush (the writer runs flushes one at a time).
    await writer.flush();
  }

  async function handle(batch: BusBatch): Promise<void> {
    // Per batch, not per sink: batches of several partitions are handled concurrently, and an
    // envelope read must stay intact across this batch's awaits. Both are reused per trade.
    const envelopes = createTradeEnvelopeReader();
    /** One trade's view for the writer (the writer copies what it keeps). */
    const view: Mutable<TradeBytes> = {
      venue: '',
      symbol: '',
      seq: 0,
      timeUs: 0,
      aggressor: 0,
      tradeCount: 1,
      bestMatch: false,
      bytes: EMPTY_BYTES,
      spans: [],
    };
    const run = { venue: '', symbol: '', source: '', key: '', accepted: false };
    let trades = 0;
    const bars: BarRow[] = [];
    for (const message of batch.messages) {
      try {
        if (message.topic === STORE_SINK_TOPICS.sequenced) {
          // Every trade passes here: read in one pass (proto/trade-envelope.ts). Ticks are skipped.
          const env = envelopes.read(message.value);
          if (env.eventType !== EventType.trade && env.eventType !== EventType.aggTrade) continue;
          const source = env.eventType === EventType.aggTrade ? 'aggTrade' : 'trade';
          // Runs of one series are the rule: its checks are made once per run, not per trade.
          if (env.venue !== run.venue || env.symbol !== run.symbol || source !== run.source) {
            run.accepted = await acceptSource(message, env.venue, env.symbol, source);
            run.venue = env.venue;
            run.symbol = env.symbol;
            run.source = source;
            run.key = `${env.venue}:${env.symbol}`;
          } else if (!run.accepted) {
            await acceptSource(message, env.venue, env.symbol, source);
          }
          if (!run.accepted) continue;
          const last = highestStoredSeq(env.venue, env.symbol, run.key);
          if (env.seq <= last) {
            stats.replayedTrades++;
            continue;
          }
          const t = env.trade;
          view.venue = env.venue;
          view.symbol = env.symbol;
          view.seq = env.seq;
          view.timeUs = t.timeUs;
          view.aggressor = t.aggressor;
          view.tradeCount = t.tradeCount || 1;
          view.bestMatch = t.bestMatch;
          // Prices, sizes and ids reach the store as byte ranges of the record, not strings.
          view.bytes = message.value;
          view.spans = t.spans;
          // Buffered straight into the writer's columns; a trade it refuses is dead-lettered alone.
          writer.pushTradeBytes(view);
          view.bytes = EMPTY_BYTES;
          storedSeq.set(run.key, env.seq);
          trades++;
          continue;
        }
        const env = EnvelopeCodec.decode(message.value);
        if (env.eventType === EventType.trade || env.eventType === EventType.aggTrade) {
          // Not expected off norm.trade.sequenced: no seq to store it under.
          throw new Error(
            `a ${env.eventType} event on ${message.topic}; trades are stored from ${STORE_SINK_TOPICS.sequenced}`,
          );
        } else if (env.eventType === EventType.bar) {
          const b = BarCodec.decode(env.payload);
          const derived = message.topic === STORE_SINK_TOPICS.barsDerived;
          if (
            (derived && !options.storeDerived) ||
            (message.topic === STORE_SINK_TOPICS.klines && !b.final)
          ) {
            stats.skippedBars++;
            continue;
          }
          // Bars built from trades name their source in `stream`; kline bars are from the venue.
          const source = TRADE_SOURCES.find((x) => x === env.stream);
          if (source !== undefined && !(await acceptSource(message, env.venue, env.symbol, source))) continue;
          const bar: BarRow = { venue: env.venue, symbol: env.symbol, ...b };
          // A bar the store cannot hold (say, a volume past 18 integer digits) is refused alone.
          checkBarRow(bar);
          bars.push(bar);
        }
      } catch (error) {
        view.bytes = EMPTY_BYTES;
        if (error instanceof InvalidInputError) await invalidRecord(message, error);
        else await deadLetter(message, error);
      }
    }
    if (bars.length > 0) await writer.appendBars(bars);
    if (trades + bars.length > 0) await commit(trades + bars.length);
    stats.trades += trades;
    stats.bars += bars.length;
  }

  async function invalidRecord(message: BusMessage, error: InvalidInputError): Promise<void> {
    const what = message.topic === STORE_SINK_TOPICS.sequenced ? 'trade' : 'bar';
    await refuse(message, {
      code: `invalid_${what}`,
      message: `store sink cannot store this ${what}: ${error.message}`,
      source: 'runtime.store-sink',
    });
  }

  async function deadLetter(message: BusMessage, error: unknown): Promise<void> {
    await refuse(message, {
      code: 'undecodable',
      message: `store sink could not decode the envelope: ${error instanceof Error ? error.message : String(error)}`,
      source: 'runtime.store-sink',
    });
  }

  /** Failed deliveries per batch (topic/partition/first offset) while it is being retried. */
  const attempts = new Map<string, number>();

  /**
   * {@link handle} with a bound: a retriable failure hands the batch back (the bus redelivers it
   * after a backoff) up to SINK_MAX_ATTEMPTS times; then, or at once when the failure is not
   * retriable, its records are dead-lettered with the error and the batch is done.
   */
  async function handleBounded(batch: BusBatch): Promise<void> {
    const key = `${batch.topic}/${batch.partition}/${batch.messages[0]?.offset ?? ''}`;
    try {
      await handle(batch);
      attempts.delete(key);
    } catch (error) {
      const attempt = (attempts.get(key) ?? 0) + 1;
      if (isRetriable(error) && attempt < SINK_MAX_ATTEMPTS) {
        attempts.set(key, attempt);
        stats.retried++;
        logger.warn({ err: error, topic: batch.topic, attempt }, 'store sink: batch failed; retrying');
        throw error;
      }
      attempts.delete(key);
      logger.error(
        { err: error, topic: batch.topic, records: batch.messages.length, attempts: attempt },
        'store sink: batch cannot be stored; dead-lettering its records',
      );
      const text = error instanceof Error ? error.message : String(error);
      for (const message of batch.messages) {
        await refuse(message, {
          code: 'store_failed',
          message: `store sink gave up after ${attempt} attempt(s): ${text}`,
          source: 'runtime.store-sink',
        });
      }
    }
  }

  const subscription: Subscription = await bus.subscribe({
    groupId: options.groupId ?? 'store-sink',
    topics: Object.values(STORE_SINK_TOPICS),
    fromBeginning: true,
    handler: handleBounded,
  });
  logger.info({ topics: Object.values(STORE_SINK_TOPICS) }, 'store sink: running');
  return { stop: () => subscription.stop(), stats: () => ({ ...stats }) };
}
