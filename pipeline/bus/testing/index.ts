/**
 * Helpers for bus tests (the contract suite and the Kafka crash test); not used by product code.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Kafka, logLevel } from 'kafkajs';
import { createLogger, type Logger, type LogLevel } from '../../../core/logger.ts';
import {
  EnvelopeCodec,
  EventType,
  eventId,
  SCHEMA_VERSION,
  Side,
  seriesKey,
  TradeCodec,
} from '../../../proto/index.ts';
import { recordedData, type UntilOptions, until } from '../../../test/support/index.ts';
import { busConfigSchema } from '../config.ts';
import { createEmbeddedBus } from '../embedded/index.ts';
import { createKafkaBus, type KafkaBusOptions } from '../kafka/index.ts';
import { namespacedTopic } from '../namespaced.ts';
import { partitionForKey } from '../partitioner.ts';
import type { Bus, BusMessage } from '../types.ts';

export type BackendKind = 'embedded' | 'kafka';

/** Test tuning: short sessions so a member that left or died is noticed within seconds. */
export const TEST_KAFKA_OPTIONS: KafkaBusOptions = {
  sessionTimeoutMs: 6000,
  heartbeatIntervalMs: 300,
  maxWaitTimeMs: 50,
};

/** `KAFKA_BROKERS` as a list; throws (never skips) when it is missing. */
export function testBrokers(): string[] {
  const value = process.env.KAFKA_BROKERS?.trim();
  if (!value)
    throw new Error('KAFKA_BROKERS is not set: start Kafka (deploy/kafka/kafka.sh start) and export it');
  return value.split(',').map((b) => b.trim());
}

export function testLogger(): Logger {
  return createLogger({
    name: 'bus-test',
    level: (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'error',
  });
}

/** A fresh bus of `kind` (Kafka from KAFKA_BROKERS), optionally with embedded default partitions. */
export function makeTestBus(
  kind: BackendKind,
  logger: Logger = testLogger(),
  options: KafkaBusOptions = {},
): Bus {
  if (kind === 'embedded') return createEmbeddedBus({ logger });
  const config = busConfigSchema.parse({
    kind: 'kafka',
    kafka: { brokers: testBrokers(), clientId: `qf-bus-test-${process.pid}` },
  });
  return createKafkaBus({ logger }, config.kafka, { ...TEST_KAFKA_OPTIONS, ...options });
}

/** A name no other test run uses (engineers share one broker). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

/** Deletes the test broker's topics of every namespace in `namespaces`, their dead-letter topics included. */
export async function deleteNamespaceTopics(namespaces: readonly string[]): Promise<void> {
  if (namespaces.length === 0) return;
  const admin = new Kafka({ brokers: testBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) =>
      namespaces.some((ns) => t.startsWith(`${ns}.`) || t.startsWith(namespacedTopic(ns, 'dlq.'))),
    );
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

/** How long bus tests wait for consumers (a Kafka group join or rebalance takes seconds). */
export const CONSUME_WAIT: UntilOptions = { timeoutMs: 45_000 };

/** A key that the default partitioner sends to `partition` of a `partitions`-partition topic. */
export function keyForPartition(prefix: string, partition: number, partitions: number): string {
  for (let i = 0; ; i++) {
    const key = `${prefix}-${i}`;
    if (partitionForKey(key, partitions) === partition) return key;
  }
}

const FENCE = 'qf-test-fence';

/**
 * Everything currently in `topic` (committed records only), read by a fresh group: writes a
 * fence record into every partition, then reads until each fence is seen, so the result is
 * complete without waiting for a quiet period. Fences are not returned.
 */
export async function drainTopic(bus: Bus, topic: string, partitions: number): Promise<BusMessage[]> {
  const fenceKeys = Array.from({ length: partitions }, (_, p) => keyForPartition(FENCE, p, partitions));
  await bus.produce(
    fenceKeys.map((key) => ({ topic, key, value: new Uint8Array([0]), headers: { [FENCE]: '1' } })),
  );
  const seen = new Set<string>();
  const positions = new Set<string>();
  const out: BusMessage[] = [];
  const subscription = await bus.subscribe({
    groupId: uniqueName('drain'),
    topics: [topic],
    fromBeginning: true,
    handler: async (batch) => {
      for (const message of batch.messages) {
        if (message.headers?.[FENCE] === '1') seen.add(message.key ?? '');
        else {
          // A redelivery to this reader is not a duplicate in the topic: count each position once.
          const position = `${message.partition}:${message.offset}:${message.index ?? 0}`;
          if (positions.has(position)) continue;
          positions.add(position);
          out.push(message);
        }
      }
    },
  });
  try {
    await until(
      () => fenceKeys.every((key) => seen.has(key)),
      `fences in every partition of ${topic}`,
      CONSUME_WAIT,
    );
  } finally {
    await subscription.stop();
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const textBytes = (text: string): Uint8Array => encoder.encode(text);
export const bytesText = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Real Binance spot BTCUSDT trades, 2024-08-08 23:54Z..00:05Z (see ../shared/data/PROVENANCE.md). */
export const RECORDED_TRADES = recordedData(
  'trades',
  'binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv.gz',
);

/** A recorded trade as the bus carries it: a `norm.trade` Envelope around a Trade. */
export interface RecordedTrade {
  readonly tradeId: string;
  readonly key: string;
  readonly value: Uint8Array;
}

/**
 * The recorded BTCUSDT trades as encoded Envelope+Trade messages (about 200 bytes each), keyed
 * `BINANCE:<symbol>`, cycling through `symbols` (default BTCUSDT only). `count` above the file's
 * ~19.9k trades repeats it with shifted trade ids.
 */
export function recordedTrades(count: number, symbols: readonly string[] = ['BTCUSDT']): RecordedTrade[] {
  const lines = gunzipSync(readFileSync(RECORDED_TRADES)).toString('utf8').trim().split('\n');
  const out: RecordedTrade[] = [];
  const keys = symbols.map((symbol) => seriesKey('BINANCE', symbol));
  for (let i = 0; out.length < count; i++) {
    const round = Math.floor(i / lines.length);
    const [id, price, qty, quoteQty, timeMs, buyerMaker] = lines[i % lines.length]!.split(',');
    const tradeId = String(Number(id) + round * 10_000_000);
    const timeUs = Number(timeMs) * 1000;
    const payload = TradeCodec.encode({
      tradeId,
      price,
      quantity: qty,
      quoteQuantity: quoteQty,
      aggressor: buyerMaker === 'True' ? Side.SIDE_SELL : Side.SIDE_BUY,
      timeUs,
      firstTradeId: tradeId,
      lastTradeId: tradeId,
      tradeCount: 1,
      bestMatch: true,
    });
    const value = EnvelopeCodec.encode({
      eventId: eventId('BINANCE', symbols[i % symbols.length]!, EventType.trade, tradeId),
      eventType: EventType.trade,
      venue: 'BINANCE',
      symbol: symbols[i % symbols.length]!,
      observedAtUs: timeUs,
      ingestedAtUs: timeUs + 1500,
      schemaVersion: SCHEMA_VERSION,
      payload,
      stream: 'trade',
      seq: i + 1,
    });
    out.push({ tradeId, key: keys[i % keys.length]!, value });
  }
  return out;
}
