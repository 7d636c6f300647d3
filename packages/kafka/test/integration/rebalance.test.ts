import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, type BatchConsumerOptions, ensureTopics, Producer, type TopicPartitions } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('rebalance');

interface Member {
  name: string;
  consumer: BatchConsumer;
  events: string[];
  owned: number[];
  /** Offsets delivered per partition, in order. */
  delivered: Map<number, string[]>;
}

const flat = (assignment: TopicPartitions[]) => assignment.flatMap((a) => a.partitions);

describe('BatchConsumer: two members split a 4-partition topic (eager rebalancing)', () => {
  const kafka = testKafka('rebalance');
  const janitor = topicJanitor(kafka);
  const topic = uniqueName('rebalance.signalling.v1');
  const groupId = uniqueName('rebalance-group');
  const options = (): BatchConsumerOptions => ({
    groupId,
    topics: topic,
    fromBeginning: true,
    logger,
    sessionTimeout: 10_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 300,
    onFatal: (error) => {
      throw error;
    },
  });

  async function join(name: string): Promise<Member> {
    const member: Member = { name, consumer: new BatchConsumer(kafka, options()), events: [], owned: [], delivered: new Map() };
    await member.consumer.start({
      onAssigned: (assignment) => {
        member.owned = flat(assignment);
        member.events.push(`assigned ${member.owned.join(',')}`);
      },
      onRevoked: (assignment) => {
        member.events.push(`revoked ${flat(assignment).join(',')}`);
        member.owned = [];
      },
      eachBatch: async (batch) => {
        const list = member.delivered.get(batch.partition) ?? [];
        list.push(...batch.records.map((r) => r.offset));
        member.delivered.set(batch.partition, list);
      },
    });
    return member;
  }

  beforeAll(async () => {
    janitor.add(topic);
    await ensureTopics(kafka, [{ topic, partitions: 4 }]);
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    await producer.send(topic, Array.from({ length: 4 }, (_, p) => ({ value: `p${p}`, partition: p })));
    await producer.disconnect();
  });
  afterAll(async () => {
    await janitor.cleanup();
  });

  it('revokes everything on each rebalance, splits the partitions, and hands them back when a member leaves', async () => {
    const a = await join('a');
    await waitFor('a owns all 4', () => a.owned.length === 4);
    await waitFor('a consumed one record per partition', () => a.delivered.size === 4);
    expect(a.events).toEqual(['assigned 0,1,2,3']);
    // a commits nothing: everything it read is still "needed".

    const b = await join('b');
    await waitFor('a and b own 2 each', () => a.owned.length === 2 && b.owned.length === 2, 30_000);
    expect([...a.owned, ...b.owned].sort()).toEqual([0, 1, 2, 3]);
    expect(a.events).toEqual(['assigned 0,1,2,3', 'revoked 0,1,2,3', `assigned ${a.owned.join(',')}`]);
    expect(b.events).toEqual([`assigned ${b.owned.join(',')}`]);

    // Eager protocol: even the partitions a keeps are fetched again from the committed offset (none → earliest).
    await waitFor('a re-reads its kept partitions', () => a.owned.every((p) => (a.delivered.get(p) ?? []).length === 2));
    for (const p of a.owned) expect(a.delivered.get(p)).toEqual(['0', '0']);
    await waitFor('b reads its partitions', () => b.owned.every((p) => (b.delivered.get(p) ?? []).length === 1));

    // b leaves the group on stop(): a gets everything back well before the 10 s session timeout would expire.
    const bOwned = [...b.owned];
    const left = Date.now();
    await b.consumer.disconnect();
    expect(b.events.at(-1)).toBe(`revoked ${bOwned.join(',')}`);
    await waitFor('a owns all 4 again', () => a.owned.length === 4, 9_000);
    const handBack = Date.now() - left;
    expect(handBack).toBeLessThan(9_000);
    expect(a.events.slice(-2)).toEqual([expect.stringMatching(/^revoked /), 'assigned 0,1,2,3']);
    await a.consumer.disconnect();
    expect(a.events.at(-1)).toBe('revoked 0,1,2,3');
    logger.info({ handBack }, 'partitions handed back after leave');
  });
});
