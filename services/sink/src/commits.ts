/**
 * Which offsets may be committed, and when.
 *
 * Every consumed batch is added to its table's writer with a `SourcePosition`: the offset after the batch's last
 * record, stamped with the assignment epoch of its partition. The writer hands positions back in `onFlushed` only
 * after ClickHouse acknowledged every row added up to and including that batch (acknowledgements are in add order),
 * so committing the highest acknowledged position of a partition never commits a row that is not durable. A
 * partition's records all feed one writer (one topic, one table), so a partition's positions arrive in offset order.
 *
 * A rebalance (kafkajs is eager: every partition is revoked, then re-assigned, and re-read from its committed
 * offset) bumps the epoch. Acknowledgements for rows added under an older epoch are not committed: the partition
 * may belong to another member now, which commits for itself, and if it came back to this member it is being
 * re-read from the committed offset anyway. Those rows are still written — ClickHouse collapses the duplicates.
 */
import type { CommitEntry, TopicPartitions } from '@gtwatch/kafka';

export interface SourcePosition {
  topic: string;
  partition: number;
  /** The offset after the batch's last record: what a new owner starts from once the batch is durable. */
  next: string;
  /** Assignment epoch of the partition when the batch was consumed. */
  epoch: number;
}

export interface PlannedCommit extends CommitEntry {
  /** The epoch the offset belongs to; `committed` ignores it once the partition moved on. */
  epoch: number;
}

export interface CommitPlan {
  entries: PlannedCommit[];
  /** Positions dropped because their partition was revoked (or re-assigned) since they were consumed. */
  stale: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class CommitTracker {
  readonly #epochs = new Map<string, number>();
  /** Last offset committed per partition in the current epoch, to skip commits that would not move it. */
  readonly #committed = new Map<string, bigint>();
  #epoch = 0;

  /** A new assignment (the whole of it, as kafkajs' eager protocol reports it). */
  assign(assignment: readonly TopicPartitions[]): void {
    const epoch = ++this.#epoch;
    for (const { topic, partitions } of assignment) {
      for (const partition of partitions) {
        this.#epochs.set(key(topic, partition), epoch);
        this.#committed.delete(key(topic, partition));
      }
    }
  }

  revoke(assignment: readonly TopicPartitions[]): void {
    for (const { topic, partitions } of assignment) {
      for (const partition of partitions) {
        this.#epochs.delete(key(topic, partition));
        this.#committed.delete(key(topic, partition));
      }
    }
  }

  owns(topic: string, partition: number): boolean {
    return this.#epochs.has(key(topic, partition));
  }

  /** The position to attach to a batch whose last record is `lastOffset`; undefined when the partition is not owned. */
  position(topic: string, partition: number, lastOffset: string): SourcePosition | undefined {
    const epoch = this.#epochs.get(key(topic, partition));
    if (epoch === undefined) return undefined;
    return { topic, partition, next: (BigInt(lastOffset) + 1n).toString(), epoch };
  }

  /** The commits that acknowledged positions allow: the highest current-epoch position per partition. */
  plan(positions: readonly SourcePosition[]): CommitPlan {
    const highest = new Map<string, { topic: string; partition: number; next: bigint; epoch: number }>();
    let stale = 0;
    for (const position of positions) {
      const k = key(position.topic, position.partition);
      if (this.#epochs.get(k) !== position.epoch) {
        stale += 1;
        continue;
      }
      const next = BigInt(position.next);
      const current = highest.get(k);
      if (!current || next > current.next) {
        highest.set(k, { topic: position.topic, partition: position.partition, next, epoch: position.epoch });
      }
    }
    const entries: PlannedCommit[] = [];
    for (const [k, { topic, partition, next, epoch }] of highest) {
      const committed = this.#committed.get(k);
      if (committed !== undefined && next <= committed) continue;
      entries.push({ topic, partition, offset: next.toString(), epoch });
    }
    return { entries, stale };
  }

  /** Records a successful commit (only while the partition is still owned in the same epoch). */
  committed(entries: readonly PlannedCommit[]): void {
    for (const { topic, partition, offset, epoch } of entries) {
      const k = key(topic, partition);
      if (this.#epochs.get(k) !== epoch) continue;
      const value = BigInt(offset);
      const current = this.#committed.get(k);
      if (current === undefined || value > current) this.#committed.set(k, value);
    }
  }
}
