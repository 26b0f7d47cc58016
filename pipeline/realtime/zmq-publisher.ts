import { Publisher } from 'zeromq';
import type { Logger } from '../../core/logger.ts';
import type { RealtimeConfig } from './config.ts';

/** A running ZeroMQ PUB socket. `publish` never blocks the pipeline. */
export interface ZmqPublisher {
  /** The endpoint actually bound (with the real port when the config asked for port 0). */
  readonly endpoint: string;
  /** Queues a [topic, payload] message; when the queue is full the oldest is dropped and counted. */
  publish(topic: string, payload: Uint8Array): void;
  /** Frames sent and dropped so far. */
  stats(): { sent: number; dropped: number; queued: number };
  /** Sends what is queued, then closes the socket. */
  close(): Promise<void>;
}

/** Longest the send loop keeps the event loop while frames are queued, ms. */
const YIELD_AFTER_MS = 2;
/** Frames between two looks at the clock. */
const YIELD_CHECK_EVERY = 32;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Binds a ZeroMQ PUB socket and sends queued frames in one loop (a zeromq.js socket takes one
 * send at a time). Live data favours freshness over completeness, as ZeroMQ's PUB does: a
 * subscriber that cannot keep up loses the oldest frames, never stalls the pipeline.
 */
export async function createZmqPublisher(
  deps: { logger: Logger },
  config: RealtimeConfig['zmq'],
): Promise<ZmqPublisher> {
  const socket = new Publisher({ sendHighWaterMark: config.sendHighWaterMark, linger: 500 });
  await socket.bind(config.pubEndpoint);
  const endpoint = socket.lastEndpoint ?? config.pubEndpoint;
  deps.logger.info({ endpoint }, 'realtime: ZeroMQ PUB bound');
  const topics: string[] = [];
  const payloads: Uint8Array[] = [];
  let head = 0;
  let sent = 0;
  let dropped = 0;
  let draining: Promise<void> | null = null;
  let closed = false;

  async function drain(): Promise<void> {
    // zeromq.js resolves a send at once while the socket has room: a big queue would be sent on
    // microtasks alone, holding the event loop for the whole backlog. Give it a turn every
    // YIELD_AFTER_MS of sending (order is kept: only this loop sends).
    let sliceStart = performance.now();
    let sinceCheck = 0;
    while (head < topics.length) {
      if (++sinceCheck >= YIELD_CHECK_EVERY) {
        sinceCheck = 0;
        if (performance.now() - sliceStart >= YIELD_AFTER_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
      const topic = topics[head] as string;
      const payload = payloads[head] as Uint8Array;
      head++;
      try {
        await socket.send([topic, payload]);
        sent++;
      } catch (error) {
        dropped++;
        deps.logger.warn({ err: error, topic }, 'realtime: send failed');
      }
      // Compact the queue arrays now and then instead of shifting per message.
      if (head > 4096 && head * 2 > topics.length) {
        topics.splice(0, head);
        payloads.splice(0, head);
        head = 0;
      }
    }
    topics.length = 0;
    payloads.length = 0;
    head = 0;
    draining = null;
  }

  return {
    endpoint,
    publish(topic, payload) {
      if (closed) return;
      if (topics.length - head >= config.queueLimit) {
        head++;
        dropped++;
      }
      topics.push(topic);
      payloads.push(payload);
      draining ??= drain();
    },
    stats: () => ({ sent, dropped, queued: topics.length - head }),
    async close() {
      closed = true;
      await draining;
      socket.close();
    },
  };
}
