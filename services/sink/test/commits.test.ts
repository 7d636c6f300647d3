import { describe, expect, it } from 'vitest';
import { CommitTracker } from '../src/index.js';

const T = 'gtwatch.aggregates.v1';

describe('CommitTracker', () => {
  it('commits the highest acknowledged offset per partition, one past the last record', () => {
    const tracker = new CommitTracker();
    tracker.assign([{ topic: T, partitions: [0, 1] }]);
    const a = tracker.position(T, 0, '9')!;
    const b = tracker.position(T, 0, '19')!;
    const c = tracker.position(T, 1, '4')!;
    expect(a.next).toBe('10');
    const plan = tracker.plan([a, b, c]);
    expect(plan.stale).toBe(0);
    expect(plan.entries.map(({ topic, partition, offset }) => ({ topic, partition, offset }))).toEqual([
      { topic: T, partition: 0, offset: '20' },
      { topic: T, partition: 1, offset: '5' },
    ]);
  });

  it('handles offsets beyond 2^53', () => {
    const tracker = new CommitTracker();
    tracker.assign([{ topic: T, partitions: [0] }]);
    expect(tracker.position(T, 0, '9007199254740993')?.next).toBe('9007199254740994');
  });

  it('skips a commit that would not move the offset (e.g. an ack after a batch of only invalid records)', () => {
    const tracker = new CommitTracker();
    tracker.assign([{ topic: T, partitions: [0] }]);
    const first = tracker.plan([tracker.position(T, 0, '9')!]);
    tracker.committed(first.entries);
    expect(tracker.plan([tracker.position(T, 0, '9')!]).entries).toEqual([]);
    expect(tracker.plan([tracker.position(T, 0, '10')!]).entries).toHaveLength(1);
  });

  it('drops acknowledgements of partitions revoked since, also when the partition came back (new epoch)', () => {
    const tracker = new CommitTracker();
    tracker.assign([{ topic: T, partitions: [0, 1] }]);
    const old0 = tracker.position(T, 0, '99')!;
    const old1 = tracker.position(T, 1, '49')!;
    tracker.revoke([{ topic: T, partitions: [0, 1] }]);
    expect(tracker.position(T, 0, '100')).toBeUndefined();
    tracker.assign([{ topic: T, partitions: [0] }]);
    const fresh = tracker.position(T, 0, '59')!;
    const plan = tracker.plan([old0, old1, fresh]);
    expect(plan.stale).toBe(2);
    expect(plan.entries.map((e) => e.offset)).toEqual(['60']);
  });

  it('does not record a commit for an epoch that ended while the commit was in flight', () => {
    const tracker = new CommitTracker();
    tracker.assign([{ topic: T, partitions: [0] }]);
    const plan = tracker.plan([tracker.position(T, 0, '99')!]);
    tracker.revoke([{ topic: T, partitions: [0] }]);
    tracker.assign([{ topic: T, partitions: [0] }]);
    tracker.committed(plan.entries);
    // The new owner epoch re-reads from the committed offset; its first ack must still be committed.
    expect(tracker.plan([tracker.position(T, 0, '50')!]).entries.map((e) => e.offset)).toEqual(['51']);
  });
});
