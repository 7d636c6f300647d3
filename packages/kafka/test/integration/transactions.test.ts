import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, type ConsumedRecord, ensureTopics, FencedError, TransactionalProducer } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('transactions');

describe('TransactionalProducer: outputs and offsets together against the real broker', () => {
  const kafka = testKafka('transactions');
  const janitor = topicJanitor(kafka);
  const input = uniqueName('tx.input.v1');
  const output = uniqueName('tx.output.v1');
  const groupId = uniqueName('tx-group');

  beforeAll(async () => {
    janitor.add(input, output);
    await ensureTopics(kafka, [
      { topic: input, partitions: 1 },
      { topic: output, partitions: 2 },
    ]);
  });
  afterAll(async () => {
    await janitor.cleanup();
  });

  /** Everything a read_committed consumer in a fresh group sees on the output topic, once it has caught up. */
  async function committedOutput(marker: string): Promise<string[]> {
    const seen: ConsumedRecord[] = [];
    const reader = new BatchConsumer(kafka, { groupId: uniqueName(`reader-${marker}`), topics: output, fromBeginning: true, logger, maxWaitTimeInMs: 200 });
    await reader.start({
      eachBatch: async (batch) => {
        seen.push(...batch.records);
      },
    });
    await waitFor(`the ${marker} marker`, () => seen.some((r) => r.value?.toString() === marker));
    await reader.disconnect();
    return seen.map((r) => r.value?.toString() ?? '').filter((v) => v !== marker);
  }

  async function committedOffset() {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId, topics: [input] });
      return topic?.partitions.find((p) => p.partition === 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('commits records and offsets (with metadata) together; a failed transaction leaves neither', async () => {
    const producer = new TransactionalProducer(kafka, { logger, transactionalId: uniqueName('tx-a') });
    await producer.connect();
    const metadata = JSON.stringify({ v: 1, replayFrom: '0' });
    await producer.publishAndCommit(
      [{ topic: output, records: [{ key: 'k1', value: 'kept-1' }, { key: null, value: 'kept-2' }] }],
      { groupId, offsets: [{ topic: input, partition: 0, offset: '5', metadata }] },
    );
    expect(await committedOffset()).toEqual(expect.objectContaining({ offset: '5', metadata }));

    // The second request of this transaction is larger than the broker accepts: the first request's records were
    // appended inside the transaction, and the abort must hide them and keep the old offset.
    const tooLarge = 'x'.repeat(2 * 1024 * 1024);
    await expect(
      producer.publishAndCommit(
        [{ topic: output, records: [{ key: 'k2', value: 'aborted-1' }, { key: 'k3', value: tooLarge }] }],
        { groupId, offsets: [{ topic: input, partition: 0, offset: '9' }] },
      ),
    ).rejects.toThrow();
    expect(await committedOffset()).toEqual(expect.objectContaining({ offset: '5', metadata }));

    // The producer stays usable after an abort.
    await producer.publishAndCommit([{ topic: output, records: [{ key: 'k4', value: 'marker-1' }] }], { groupId, offsets: [] });
    expect((await committedOutput('marker-1')).sort()).toEqual(['kept-1', 'kept-2']);
    await producer.disconnect();
  });

  it('a restarted writer with the same transactional id fences the old one, which must stop', async () => {
    const transactionalId = uniqueName('tx-b');
    const old = new TransactionalProducer(kafka, { logger, transactionalId });
    await old.connect();
    await old.publishAndCommit([{ topic: output, records: [{ key: 'k', value: 'from-old' }] }], { groupId, offsets: [] });
    const restarted = new TransactionalProducer(kafka, { logger, transactionalId });
    await restarted.connect();
    await expect(
      old.publishAndCommit([{ topic: output, records: [{ key: 'k', value: 'zombie' }] }], { groupId, offsets: [] }),
    ).rejects.toBeInstanceOf(FencedError);
    await restarted.publishAndCommit([{ topic: output, records: [{ key: 'k', value: 'marker-2' }] }], { groupId, offsets: [] });
    const values = await committedOutput('marker-2');
    expect(values).toContain('from-old');
    expect(values).not.toContain('zombie');
    await restarted.disconnect();
    await old.disconnect().catch(() => {});
  });
});
