/**
 * Binance drops a websocket that sends more than N messages per second (5 on spot, 10 on
 * futures; pings, pongs and JSON requests all count). This queue spaces our outgoing JSON
 * messages evenly, leaving headroom for the pongs `ws` sends automatically.
 */

/** Options of {@link createSendQueue}. */
export interface SendQueueOptions {
  /** Binance's per-connection limit. */
  readonly maxMessagesPerSecond: number;
  /** Sends one message; returns false when the socket is not open (the message is dropped). */
  readonly send: (text: string) => boolean;
  /** Epoch ms. */
  readonly now?: () => number;
}

/** A paced FIFO of outgoing messages. */
export interface SendQueue {
  push(text: string): void;
  /** Messages waiting. */
  size(): number;
  /** Drops everything waiting (the socket closed; streams go into the next connect URL instead). */
  clear(): void;
}

/**
 * The gap to keep between our messages: one slot per second is left for pongs, so at 5/s
 * we send at most 4/s (every 250 ms).
 */
export function sendIntervalMs(maxMessagesPerSecond: number): number {
  return Math.ceil(1000 / Math.max(1, maxMessagesPerSecond - 1));
}

export function createSendQueue(options: SendQueueOptions): SendQueue {
  const now = options.now ?? Date.now;
  const gap = sendIntervalMs(options.maxMessagesPerSecond);
  const queue: string[] = [];
  let lastSent = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  function drain(): void {
    timer = undefined;
    while (queue.length > 0) {
      const wait = lastSent + gap - now();
      if (wait > 0) {
        timer = setTimeout(drain, wait);
        return;
      }
      lastSent = now();
      options.send(queue.shift()!);
    }
  }

  return {
    push(text) {
      queue.push(text);
      if (timer === undefined) drain();
    },
    size: () => queue.length,
    clear() {
      queue.length = 0;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
