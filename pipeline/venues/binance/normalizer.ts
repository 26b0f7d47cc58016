/**
 * The Binance normalizer processor: consumes `raw.<venue>.*` envelopes and produces
 * norm.trade / norm.kline / norm.ticker / norm.book_top envelopes through the bus's
 * exactly-once `transform`. Routing is the table in normalize/frame.ts. A frame that cannot
 * be normalized (bad envelope, malformed JSON, wrong shape, unknown stream) goes to the DLQ
 * with its reason and is counted; nothing throws out of the handler for a poison message.
 */
import type { Logger } from '../../../core/logger.ts';
import { type Envelope, EnvelopeCodec } from '../../../proto/index.ts';
import type { Bus, BusBatch, BusMessage, BusRecord, Subscription } from '../../bus/types.ts';
import type { NormalizeContext } from './normalize/envelope.ts';
import { createFrameNormalizer } from './normalize/frame.ts';
import { createRawEnvelopeReader, type RawEnvelopeView } from './normalize/raw-envelope.ts';
import { rawTopic, rawTopics } from './streams.ts';

/** The `source` written on dead-lettered messages. */
export const NORMALIZER_SOURCE = 'normalize.binance';

/** Options of {@link createBinanceNormalizer}. */
export interface BinanceNormalizerOptions {
  /** Venue ids whose raw topics to consume (BINANCE, BINANCE_USDM, BINANCE_COINM). */
  readonly venues: readonly string[];
  /** Consumer group (default `normalize.binance`). */
  readonly groupId?: string;
  /** Transactional id prefix (default the group id). */
  readonly transactionalIdPrefix?: string;
  readonly fromBeginning?: boolean;
  /**
   * Raw topics to consume (default: every raw topic of `venues` except `raw.<venue>.depth`,
   * which is kept raw and not normalized yet).
   */
  readonly topics?: readonly string[];
}

/** Counters of a normalizer. */
export interface BinanceNormalizerStats {
  frames: number;
  produced: number;
  notNormalized: number;
  /** Frames that produced nothing on purpose (e.g. futures non-MARKET trades). */
  empty: number;
  deadLettered: number;
  deadLetteredByCode: Record<string, number>;
}

/** A normalizer: `start` joins the group, `stop` leaves it; `handleBatch` is the pure-ish core. */
export interface BinanceNormalizer {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Normalizes a batch: returns the output records, dead-letters poison messages. */
  handleBatch(batch: BusBatch): Promise<BusRecord[]>;
  stats(): Readonly<BinanceNormalizerStats>;
}

/**
 * Creates the normalizer processor.
 * @example
 * const normalizer = createBinanceNormalizer({ bus, logger }, { venues: ['BINANCE'] });
 * await normalizer.start();
 */
export function createBinanceNormalizer(
  deps: { bus: Bus; logger?: Logger },
  options: BinanceNormalizerOptions,
): BinanceNormalizer {
  if (options.venues.length === 0) throw new Error('normalizer: venues must name at least one venue');
  const { bus, logger } = deps;
  const groupId = options.groupId ?? NORMALIZER_SOURCE;
  const topics =
    options.topics ?? options.venues.flatMap((v) => rawTopics(v).filter((t) => t !== rawTopic(v, 'depth')));
  const stats: BinanceNormalizerStats = {
    frames: 0,
    produced: 0,
    notNormalized: 0,
    empty: 0,
    deadLettered: 0,
    deadLetteredByCode: {},
  };
  let subscription: Subscription | undefined;

  async function deadLetter(message: BusMessage, code: string, text: string): Promise<void> {
    stats.deadLettered++;
    stats.deadLetteredByCode[code] = (stats.deadLetteredByCode[code] ?? 0) + 1;
    logger?.warn(
      { topic: message.topic, offset: message.offset, code, reason: text },
      'dead-lettered raw frame',
    );
    await bus.deadLetter(message, { code, message: text, source: NORMALIZER_SOURCE });
  }

  const readRawEnvelope = createRawEnvelopeReader();
  const { normalizeFrame, normalizeFrameAt } = createFrameNormalizer();
  const view: RawEnvelopeView = { venue: '', stream: '', ingestedAtUs: 0, rawStart: 0, rawEnd: 0 };
  const ctx: { -readonly [K in keyof NormalizeContext]: NormalizeContext[K] } = {
    venue: '',
    stream: '',
    ingestedAtUs: 0,
  };

  async function handleBatch(batch: BusBatch): Promise<BusRecord[]> {
    const out: BusRecord[] = [];
    for (const message of batch.messages) {
      stats.frames++;
      const value = message.value;
      if (readRawEnvelope(value, view)) {
        // Plain raw envelope: read in place (the common case).
        ctx.venue = view.venue;
        ctx.stream = view.stream;
        ctx.ingestedAtUs = view.ingestedAtUs;
        const buf = Buffer.isBuffer(value)
          ? value
          : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        const outcome = normalizeFrameAt(buf, view.rawStart, view.rawEnd, ctx, out);
        if (outcome.kind === 'failed')
          await deadLetter(message, outcome.failure.code, outcome.failure.message);
        else if (outcome.kind === 'not_normalized') stats.notNormalized++;
        else if (outcome.count === 0) stats.empty++;
        continue;
      }
      let envelope: Envelope;
      try {
        envelope = EnvelopeCodec.decode(message.value);
      } catch (err) {
        await deadLetter(message, 'bad_envelope', `not a protobuf Envelope: ${(err as Error).message}`);
        continue;
      }
      const outcome = normalizeFrame(
        envelope.raw,
        { venue: envelope.venue, stream: envelope.stream, ingestedAtUs: Number(envelope.ingestedAtUs) },
        out,
      );
      if (outcome.kind === 'failed') await deadLetter(message, outcome.failure.code, outcome.failure.message);
      else if (outcome.kind === 'not_normalized') stats.notNormalized++;
      else if (outcome.count === 0) stats.empty++;
    }
    stats.produced += out.length;
    return out;
  }

  return {
    handleBatch,
    start: async function startNormalizer() {
      if (subscription !== undefined) return;
      subscription = await bus.transform({
        groupId,
        topics,
        transactionalIdPrefix: options.transactionalIdPrefix ?? groupId,
        fromBeginning: options.fromBeginning ?? true,
        handler: handleBatch,
      });
    },
    stop: async function stopNormalizer() {
      const s = subscription;
      subscription = undefined;
      await s?.stop();
    },
    stats: () => ({ ...stats, deadLetteredByCode: { ...stats.deadLetteredByCode } }),
  };
}
