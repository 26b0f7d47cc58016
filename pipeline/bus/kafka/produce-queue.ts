import type { BusRecord } from '../types.ts';

/** Sends records to the broker; resolves when they are all acknowledged. */
export type SendRecords = (records: readonly BusRecord[]) => Promise<void>;

interface Waiting {
  readonly records: (readonly BusRecord[])[];
  readonly settle: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * Natural batching in front of `send`: a `produce` call made while a send is in flight waits and
 * joins every other call made meanwhile in the next send, so many small callers (a normalizer per
 * venue frame) share requests instead of queueing one request each. There is no linger: a call
 * with nothing in flight is sent at once. Calls are sent in call order (per-key order holds
 * across callers); each call resolves when its records were acknowledged, and when a merged send
 * fails every call in it is rejected with that error (nothing is silently dropped).
 */
export function createProduceQueue(send: SendRecords): SendRecords {
  let waiting: Waiting | undefined;
  let sending = false;

  const drain = async (): Promise<void> => {
    sending = true;
    while (waiting !== undefined) {
      const next: Waiting = waiting;
      waiting = undefined;
      const records = next.records.length === 1 ? next.records[0]! : next.records.flat();
      try {
        await send(records);
        for (const s of next.settle) s.resolve();
      } catch (error) {
        for (const s of next.settle) s.reject(error);
      }
    }
    sending = false;
  };

  return (records) =>
    new Promise<void>((resolve, reject) => {
      waiting ??= { records: [], settle: [] };
      waiting.records.push(records);
      waiting.settle.push({ resolve, reject });
      if (!sending) void drain();
    });
}
