import type { TopicPartition } from '../types.ts';
import type { EmbeddedLog } from './log.ts';

/** What the group needs from one of its members. */
export interface GroupMember {
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  /** Partitions this member owns now; replaced (never mutated) on each rebalance. */
  assigned: readonly TopicPartition[];
  /** Set by a rebalance; the member calls its onAssigned hook and clears it. */
  assignmentChanged: boolean;
  wake(): void;
}

/** A slice of one partition that a member may process now. */
export interface Job {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * One embedded consumer group: its members, the partition assignment, committed offsets, and
 * which partitions have a batch in flight. A partition's batch in flight stays locked to the
 * member that took it, even across a rebalance, so a new owner starts only after the old one
 * committed: no batch is processed twice at the same time and none is skipped.
 */
export class EmbeddedGroup {
  /** Next offset to read, per partition key. */
  readonly committed = new Map<string, number>();
  private readonly busy = new Set<string>();
  private readonly retryAt = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly members: GroupMember[] = [];

  constructor(
    readonly id: string,
    private readonly log: EmbeddedLog,
  ) {}

  get size(): number {
    return this.members.length;
  }

  join(member: GroupMember): void {
    this.members.push(member);
    this.rebalance();
  }

  leave(member: GroupMember): void {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
    this.rebalance();
  }

  /**
   * Spreads each topic's partitions round-robin over the members subscribed to it, in join
   * order (like Kafka's round-robin assignor), then wakes everyone.
   */
  private rebalance(): void {
    const next = new Map<GroupMember, TopicPartition[]>();
    for (const member of this.members) next.set(member, []);
    const topics = [...new Set(this.members.flatMap((m) => m.topics))].sort();
    for (const name of topics) {
      const subscribers = this.members.filter((m) => m.topics.includes(name));
      const topic = this.log.topic(name);
      for (let partition = 0; partition < topic.partitions.length; partition++) {
        const owner = subscribers[partition % subscribers.length]!;
        next.get(owner)!.push({ topic: name, partition });
        const key = partitionKey(name, partition);
        if (!this.committed.has(key)) {
          this.committed.set(key, owner.fromBeginning ? 0 : topic.partitions[partition]!.length);
        }
      }
    }
    for (const [member, assigned] of next) {
      member.assigned = assigned;
      member.assignmentChanged = true;
      member.wake();
    }
  }

  /**
   * The next slice `member` may process, scanning its partitions from `cursor` (for fairness),
   * or undefined; `waitMs` is set to when a backed-off partition becomes due.
   */
  nextJob(member: GroupMember, cursor: number, maxBatch: number, now: number): Job | number | undefined {
    const assigned = member.assigned;
    let soonest: number | undefined;
    for (let i = 0; i < assigned.length; i++) {
      const tp = assigned[(cursor + i) % assigned.length]!;
      const key = partitionKey(tp.topic, tp.partition);
      if (this.busy.has(key)) continue;
      const from = this.committed.get(key) ?? 0;
      const end = this.log.topic(tp.topic).partitions[tp.partition]!.length;
      if (from >= end) continue;
      const due = this.retryAt.get(key);
      if (due !== undefined && due > now) {
        soonest = soonest === undefined ? due - now : Math.min(soonest, due - now);
        continue;
      }
      return { key, topic: tp.topic, partition: tp.partition, from, to: Math.min(end, from + maxBatch) };
    }
    return soonest;
  }

  take(job: Job): void {
    this.busy.add(job.key);
  }

  /** Ends a job: on success commits `job.to`; on failure backs the partition off. Wakes members. */
  finish(job: Job, ok: boolean, now: number): void {
    this.busy.delete(job.key);
    if (ok) {
      this.committed.set(job.key, job.to);
      this.failures.delete(job.key);
      this.retryAt.delete(job.key);
    } else {
      const failures = (this.failures.get(job.key) ?? 0) + 1;
      this.failures.set(job.key, failures);
      this.retryAt.set(job.key, now + Math.min(5000, 50 * 2 ** (failures - 1)));
    }
    for (const member of this.members) member.wake();
  }
}
