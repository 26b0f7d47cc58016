/**
 * Publishes a clock tick into every partition of a processor's input topic at a fixed
 * interval, so stateful processors (the trade processor's reorder buffers and bars) advance their watermarks by wall-clock
 * time and close a quiet minute even when no trade arrives. Going through the topic keeps the
 * exactly-once contract: a processor only ever changes state while handling input. Live
 * sources only: ticks at today's time would make a replay of old data late.
 */
import type { Logger } from '../../core/logger.ts';
import { EnvelopeCodec, EventType, SCHEMA_VERSION } from '../../proto/index.ts';
import { partitionForKey } from '../bus/index.ts';
import { TOPIC_NAMES } from '../bus/topic-names.ts';
import type { Bus } from '../bus/types.ts';

export interface ClockTickerOptions {
  /** Topic whose partitions get the ticks (default norm.trade, the trade processor's input). */
  readonly topic?: string;
  /** Partition count of that topic (from deploy/topics.yaml). */
  readonly partitions: number;
  readonly intervalMs?: number;
  /** Wall clock, epoch µs. */
  readonly nowUs?: () => number;
}

/** One key per partition, found by hashing `tick-<n>` the way the bus partitions keys. */
export function tickKeys(partitions: number): string[] {
  const keys = new Array<string | undefined>(partitions);
  let found = 0;
  for (let n = 0; found < partitions && n < partitions * 1000; n++) {
    const key = `tick-${n}`;
    const p = partitionForKey(key, partitions);
    if (keys[p] === undefined) {
      keys[p] = key;
      found++;
    }
  }
  if (found < partitions) throw new Error(`no tick key found for some of ${partitions} partitions`);
  return keys as string[];
}

/**
 * Produces one clock tick at `atUs` to every partition of `topic` (default norm.trade): the
 * trade processor releases what its reorder buffers hold up to that time, and closes bars the
 * same way a live clock would. A one-shot replay sends one after its last record, so the last
 * trades after a gap (a refused frame) are not left waiting for a clock that never comes.
 */
export async function produceTick(
  bus: Bus,
  options: { readonly topic?: string; readonly partitions: number },
  atUs: number,
): Promise<void> {
  const value = EnvelopeCodec.encode({
    eventId: `tick:${atUs}`,
    eventType: EventType.tick,
    observedAtUs: atUs,
    ingestedAtUs: atUs,
    schemaVersion: SCHEMA_VERSION,
  });
  const topic = options.topic ?? 'norm.trade';
  await bus.produce(tickKeys(options.partitions).map((key) => ({ topic, key, value })));
}

/** Starts ticking; `stop` ends it. Produce failures are logged and the next tick tries again. */
export function startClockTicker(
  deps: { bus: Bus; logger: Logger },
  options: ClockTickerOptions,
): { stop(): void } {
  const topic = options.topic ?? TOPIC_NAMES.normTrade;
  const nowUs = options.nowUs ?? (() => Date.now() * 1000);
  const keys = tickKeys(options.partitions);
  const timer = setInterval(() => {
    const value = EnvelopeCodec.encode({
      eventId: `tick:${nowUs()}`,
      eventType: EventType.tick,
      observedAtUs: nowUs(),
      ingestedAtUs: nowUs(),
      schemaVersion: SCHEMA_VERSION,
    });
    deps.bus.produce(keys.map((key) => ({ topic, key, value }))).catch((error: unknown) => {
      deps.logger.warn({ err: error, topic }, 'clock ticker: produce failed');
    });
  }, options.intervalMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
