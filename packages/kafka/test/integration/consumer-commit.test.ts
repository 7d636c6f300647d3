import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, type ConsumedRecord, ensureTopics, nextOffset, Producer } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('consumer-commit');

describe('BatchConsumer: explicit commits with metadata against the real broker', () => {
  const kafka = testKafka('commit');
  const janitor = topicJanitor(kafka);
  const topic = uniqueName('commit.signalling.v1');
  const groupId = uniqueName('commit-group');
  const producer = new Producer(kafka, { logger });

  beforeAll(async () => {
    janitor.add(topic);
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await janitor.cleanup();
  });

  it('delivers plain records, commits only what the caller says, and a new member resumes exactly there', async () => {
    await producer.send(
      topic,
      Array.from({ length: 10 }, (_, i) => ({
        key: `gt-${i}`,
        value: `record-${i}`,
        headers: { 'x-index': String(i), 'x-text': 'grüße' },
        timestamp: 1_714_521_600_000 + i,
      })),
    );

    // First member: sees all 10, but "an open window still needs" offset 6 onwards: commits 6 with a horizon.
    const first: ConsumedRecord[] = [];
    const lags: string[] = [];
    const consumer = new BatchConsumer(kafka, { groupId, topics: topic, fromBeginning: true, logger, maxWaitTimeInMs: 300, onFatal: () => {} });
    await consumer.start({
      eachBatch: async (batch, context) => {
        first.push(...batch.records);
        lags.push(batch.offsetLag);
        await context.heartbeat();
      },
    });
    await waitFor('10 records', () => first.length >= 10);
    const horizon = JSON.stringify({ v: 1, emittedUpTo: 1_714_521_600 });
    await consumer.commit(topic, 0, '6', horizon);
    expect(await consumer.fetchCommitted(topic)).toEqual([{ partition: 0, offset: '6', metadata: horizon }]);
    expect(consumer.lag()).toEqual([expect.objectContaining({ topic, partition: 0, offsetLag: '0', highWatermark: '10' })]);
    await consumer.disconnect();
    expect(consumer.status).toBe('stopped');
    await expect(consumer.commit(topic, 0, '7')).rejects.toThrow(/stopped/);

    expect(first.map((r) => r.offset)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const sample = first[3]!;
    expect(sample.topic).toBe(topic);
    expect(sample.partition).toBe(0);
    expect(sample.key?.toString()).toBe('gt-3');
    expect(sample.value?.toString()).toBe('record-3');
    expect(sample.headers).toEqual({ 'x-index': '3', 'x-text': 'grüße' });
    expect(sample.timestamp).toBe(1_714_521_600_003);
    expect(lags.at(-1)).toBe('0');

    // Second member of the same group: reads the horizon before processing, then replays from offset 6 exactly.
    const second: ConsumedRecord[] = [];
    let horizonOnAssign: string | null = null;
    let horizonAtFirstBatch: string | null | undefined;
    const successor = new BatchConsumer(kafka, { groupId, topics: topic, logger, maxWaitTimeInMs: 300, onFatal: () => {} });
    await successor.start({
      onAssigned: async () => {
        const [committed] = await successor.fetchCommitted(topic);
        horizonOnAssign = committed?.metadata ?? null;
      },
      eachBatch: async (batch) => {
        // onAssigned has settled before the first batch.
        horizonAtFirstBatch ??= horizonOnAssign;
        second.push(...batch.records);
        const last = batch.records.at(-1);
        if (last) await successor.commit(topic, 0, nextOffset(last.offset), 'done');
      },
    });
    await waitFor('4 replayed records', () => second.length >= 4);
    await successor.disconnect();
    expect(horizonAtFirstBatch).toBe(horizon);
    expect(second.map((r) => r.value?.toString())).toEqual(['record-6', 'record-7', 'record-8', 'record-9']);

    const admin = new BatchConsumer(kafka, { groupId, topics: topic, logger, maxWaitTimeInMs: 300, onFatal: () => {} });
    expect(await admin.fetchCommitted(topic)).toEqual([{ partition: 0, offset: '10', metadata: 'done' }]);
    await admin.disconnect();
  });

  it('reports a partition the group never committed as offset null', async () => {
    const fresh = new BatchConsumer(kafka, { groupId: uniqueName('never-committed'), topics: topic, logger });
    expect(await fresh.fetchCommitted(topic)).toEqual([{ partition: 0, offset: null, metadata: null }]);
    await fresh.disconnect();
  });

  it('keeps the fetch position at what the handler resolved when it resolves manually', async () => {
    const group = uniqueName('manual-resolve');
    const seen: string[] = [];
    let calls = 0;
    const consumer = new BatchConsumer(kafka, { groupId: group, topics: topic, fromBeginning: true, logger, maxWaitTimeInMs: 300, onFatal: () => {} });
    await consumer.start({
      eachBatch: async (batch, context) => {
        calls += 1;
        // First delivery: handle only the first two records, as a handler stopping early would.
        const take = calls === 1 ? batch.records.slice(0, 2) : batch.records;
        for (const record of take) {
          seen.push(record.offset);
          context.resolveOffset(record.offset);
        }
      },
    });
    await waitFor('all 10 offsets', () => seen.length >= 10);
    await consumer.disconnect();
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
