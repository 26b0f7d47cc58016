import type { Logger } from '../../../core/logger.ts';
import type { BusBatch, BusRecord, Subscription, TopicPartition } from '../types.ts';
import type { EmbeddedGroup, GroupMember } from './group.ts';
import type { EmbeddedLog } from './log.ts';

/** How a member turns a batch into outputs: subscribe returns none, transform returns records. */
export type BatchRunner = (batch: BusBatch) => Promise<readonly BusRecord[] | undefined>;

export interface MemberOptions {
  readonly group: EmbeddedGroup;
  readonly log: EmbeddedLog;
  readonly logger: Logger;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly maxBatch: number;
  readonly run: BatchRunner;
  readonly onAssigned?: (assigned: readonly TopicPartition[]) => Promise<void>;
  /** Called once the member has left its group. */
  readonly onStopped: () => void;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Joins `options.group` and runs its consume loop: take a slice of an owned partition, run it,
 * then (in one synchronous step) append the outputs and commit the offset. A failed run is
 * not committed; the partition backs off and the same slice is delivered again.
 */
export function startMember(options: MemberOptions): Subscription {
  const { group, log, logger } = options;
  let running = true;
  let pending = false;
  let signal: (() => void) | null = null;

  const member: GroupMember = {
    topics: options.topics,
    fromBeginning: options.fromBeginning,
    assigned: [],
    assignmentChanged: false,
    wake() {
      pending = true;
      const resolve = signal;
      if (resolve !== null) {
        signal = null;
        resolve();
      }
    },
  };

  const waitForWork = (ms: number | undefined): Promise<void> => {
    if (pending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => member.wake(), ms);
      signal = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
    });
  };

  const loop = async (): Promise<void> => {
    let cursor = 0;
    while (running) {
      pending = false;
      if (member.assignmentChanged) {
        member.assignmentChanged = false;
        if (options.onAssigned) {
          try {
            await options.onAssigned(member.assigned);
          } catch (error) {
            logger.error({ err: error, groupId: group.id }, 'bus: onAssigned hook failed');
          }
          continue;
        }
      }
      const job = group.nextJob(member, cursor, options.maxBatch, Date.now());
      if (job === undefined || typeof job === 'number') {
        await waitForWork(job);
        continue;
      }
      cursor++;
      group.take(job);
      const partition = log.topic(job.topic).partitions[job.partition]!;
      const batch: BusBatch = {
        topic: job.topic,
        partition: job.partition,
        messages: partition.slice(job.from, job.to),
      };
      let ok = false;
      try {
        const outputs = await options.run(batch);
        // Outputs and offset commit in the same synchronous step: nothing can observe one without the other.
        if (outputs !== undefined && outputs.length > 0) log.append(outputs, Date.now());
        ok = true;
      } catch (error) {
        logger.warn(
          { err: error, groupId: group.id, topic: job.topic, partition: job.partition, offset: job.from },
          'bus: batch handler failed; the batch will be delivered again',
        );
      }
      group.finish(job, ok, Date.now());
      await yieldToEventLoop();
    }
  };

  for (const topic of options.topics) log.topic(topic).listeners.add(member.wake);
  group.join(member);
  const done = loop().finally(() => {
    for (const topic of options.topics) log.topic(topic).listeners.delete(member.wake);
    group.leave(member);
    options.onStopped();
  });

  let stopping: Promise<void> | undefined;
  return {
    groupId: group.id,
    stop() {
      if (stopping === undefined) {
        running = false;
        member.wake();
        stopping = done;
      }
      return stopping;
    },
  };
}
