import type { Producer } from 'kafkajs';
import type { Logger } from '../../../core/logger.ts';
import type { BusRecord } from '../types.ts';
import { kafkaErrorType } from './errors.ts';
import { packRecords } from './packing.ts';

/** Where the input of a transaction was read: committed together with its outputs. */
export interface InputPosition {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read (last processed + 1). */
  readonly nextOffset: string;
}

const CONCURRENT_RETRIES = 12;

/**
 * Retries `step` while the coordinator answers CONCURRENT_TRANSACTIONS: it does so right after
 * a previous transaction while it is still writing that one's markers (a known kafkajs gap:
 * AddOffsetsToTxn is not retried for it).
 */
async function retryConcurrent<T>(step: () => Promise<T>, logger: Logger): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (kafkaErrorType(error) !== 'CONCURRENT_TRANSACTIONS' || attempt >= CONCURRENT_RETRIES) throw error;
      logger.debug({ attempt }, 'bus: coordinator busy with the previous transaction, retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 10 * 2 ** attempt)));
    }
  }
}

/**
 * Writes `outputs` and commits `input` in one Kafka transaction on `producer`. On failure the
 * transaction is aborted when it still can be and the error is thrown; the caller then
 * discards the producer (a failed commit leaves kafkajs' state machine unusable) and redelivers.
 */
export async function commitTransaction(
  producer: Producer,
  outputs: readonly BusRecord[],
  input: InputPosition,
  chunkBytes: number,
  logger: Logger,
  toBroker?: (topic: string) => string,
): Promise<void> {
  const transaction = await producer.transaction();
  try {
    for (const topicMessages of packRecords(outputs, { maxRequestBytes: chunkBytes, toBroker })) {
      await retryConcurrent(() => transaction.sendBatch({ topicMessages, acks: -1 }), logger);
    }
    await retryConcurrent(
      () =>
        transaction.sendOffsets({
          consumerGroupId: input.groupId,
          topics: [
            { topic: input.topic, partitions: [{ partition: input.partition, offset: input.nextOffset }] },
          ],
        }),
      logger,
    );
    await transaction.commit();
  } catch (error) {
    if (transaction.isActive()) {
      await transaction.abort().catch((abortError: unknown) => {
        logger.debug({ err: abortError }, 'bus: abort after a failed transaction failed too');
      });
    }
    throw error;
  }
}
