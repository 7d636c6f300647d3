import { deleteTopics, ensureTopics, type Kafka } from '@gtwatch/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafka, uniqueName } from '../support/services.js';

const PARTITIONS = 3;
const MESSAGES = 30;

interface Received {
  key: string;
  value: string;
  partition: number;
}

/** Runs a group member until `count` messages arrived, committing each batch only after it was handled. */
async function consume(kafka: Kafka, topic: string, groupId: string, count: number): Promise<Received[]> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length}/${count} messages arrived`)), 60_000);
      consumer
        .run({
          eachBatchAutoResolve: false,
          autoCommit: false,
          eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
            for (const message of batch.messages) {
              received.push({
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                partition: batch.partition,
              });
              resolveOffset(message.offset);
            }
            const last = batch.lastOffset();
            await consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
            ]);
            await heartbeat();
            if (received.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('Kafka round trip against the real broker', () => {
  const kafka = testKafka('roundtrip');
  const topic = uniqueName('roundtrip').replace(/_/g, '.');
  const groupId = uniqueName('roundtrip-group');

  beforeAll(async () => {
    expect(await ensureTopics(kafka, [{ topic, partitions: PARTITIONS }])).toEqual([topic]);
  });
  afterAll(async () => {
    await deleteTopics(kafka, [topic]);
  });

  it('creates a topic once and leaves it alone the second time', async () => {
    expect(await ensureTopics(kafka, [{ topic, partitions: PARTITIONS }])).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0]?.partitions).toHaveLength(PARTITIONS);
  });

  it('produces keyed messages, consumes them in a group, commits, and resumes from the commit', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: MESSAGES }, (_, i) => ({ key: `gt-${i % 7}`, value: `record-${i}` }));
    await producer.send({ topic, messages });

    const first = await consume(kafka, topic, groupId, MESSAGES);
    expect(first.map((m) => m.value).sort()).toEqual(messages.map((m) => m.value).sort());
    // Same key, same partition: the property per-entity windows depend on.
    const partitionOfKey = new Map<string, number>();
    for (const message of first) {
      expect(partitionOfKey.get(message.key) ?? message.partition).toBe(message.partition);
      partitionOfKey.set(message.key, message.partition);
    }

    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const committedTotal = committed?.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(committedTotal).toBe(MESSAGES);
    expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(MESSAGES);

    // A new member of the same group starts from the committed offsets: it sees only what came after.
    await producer.send({ topic, messages: [{ key: 'gt-late', value: 'after-commit' }] });
    await producer.disconnect();
    const second = await consume(kafka, topic, groupId, 1);
    expect(second.map((m) => m.value)).toEqual(['after-commit']);
  });
});
