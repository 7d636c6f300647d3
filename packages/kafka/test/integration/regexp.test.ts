import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, ensureTopics, Producer, type TopicPartitions } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('regexp');

describe('BatchConsumer: RegExp subscription', () => {
  const kafka = testKafka('regexp');
  const janitor = topicJanitor(kafka);
  const prefix = uniqueName('op');
  const operatorTopics = ['234-15', '208-01', '310-260'].map((plmn) => `${prefix}.signalling.v1.${plmn}`);
  const unrelated = `${prefix}.aggregates.v1`;
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  beforeAll(async () => {
    janitor.add(...operatorTopics, unrelated);
    await ensureTopics(kafka, [...operatorTopics, unrelated].map((topic) => ({ topic, partitions: 2 })));
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    await producer.sendBatch([...operatorTopics, unrelated].map((topic) => ({ topic, records: [{ key: topic, value: topic }] })));
    await producer.disconnect();
  });
  afterAll(async () => {
    await janitor.cleanup();
  });

  it('consumes every existing <prefix>.signalling.v1.<plmn> topic and nothing else', async () => {
    const seen = new Set<string>();
    let assigned: TopicPartitions[] = [];
    const consumer = new BatchConsumer(kafka, {
      groupId: uniqueName('regexp-group'),
      topics: new RegExp(`^${escaped}\\.signalling\\.v1\\.\\d{3}-\\d{2,3}$`),
      fromBeginning: true,
      logger,
      maxWaitTimeInMs: 200,
      onFatal: (error) => {
        throw error;
      },
    });
    await consumer.start({
      onAssigned: (assignment) => {
        assigned = assignment;
      },
      eachBatch: async (batch) => {
        for (const record of batch.records) seen.add(record.value!.toString());
      },
    });
    await waitFor('one record from each operator topic', () => seen.size >= 3);
    expect([...seen].sort()).toEqual([...operatorTopics].sort());
    expect(assigned.map((a) => a.topic)).toEqual([...operatorTopics].sort());
    expect(assigned.every((a) => a.partitions.join() === '0,1')).toBe(true);
    await consumer.disconnect();
  });
});
