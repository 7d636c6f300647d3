import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, ensureTopics, nextOffset, Producer, shutdownOnSignals } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('shutdown');

describe('Graceful shutdown with the real broker', () => {
  const kafka = testKafka('shutdown');
  const janitor = topicJanitor(kafka);
  const topic = uniqueName('shutdown.signalling.v1');
  const groupId = uniqueName('shutdown-group');

  beforeAll(async () => {
    janitor.add(topic);
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
  });
  afterAll(async () => {
    await janitor.cleanup();
  });

  it('SIGTERM: drain, commit what was handled, leave the group, close the producer, exit 0', async () => {
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    await producer.send(topic, Array.from({ length: 500 }, (_, i) => ({ value: String(i) })));

    const consumer = new BatchConsumer(kafka, {
      groupId,
      topics: topic,
      fromBeginning: true,
      logger,
      maxWaitTimeInMs: 200,
      maxBytesPerPartition: 2_048, // small batches, so SIGTERM lands mid-stream
      onFatal: (error) => {
        throw error;
      },
    });
    let handledUpTo: string | undefined;
    let handled = 0;
    await consumer.start({
      eachBatch: async (batch, context) => {
        for (const record of batch.records) {
          if (!context.isRunning()) return;
          await new Promise((resolve) => setTimeout(resolve, 1));
          handled += 1;
          handledUpTo = record.offset;
          context.resolveOffset(record.offset);
        }
      },
    });
    await waitFor('some records handled', () => handled >= 50);

    const signals = new EventEmitter();
    const order: string[] = [];
    const exits: number[] = [];
    shutdownOnSignals(
      [
        { name: 'drain', close: () => consumer.drain().then(() => void order.push('drain')) },
        {
          name: 'commit',
          close: async () => {
            if (handledUpTo !== undefined) await consumer.commit(topic, 0, nextOffset(handledUpTo), 'shutdown');
            order.push('commit');
          },
        },
        { name: 'consumer', close: () => consumer.disconnect().then(() => void order.push('consumer')) },
        { name: 'producer', close: () => producer.disconnect().then(() => void order.push('producer')) },
      ],
      logger,
      { source: signals, exit: (code) => exits.push(code), timeoutMs: 20_000 },
    );
    signals.emit('SIGTERM');
    await waitFor('exit', () => exits.length > 0);
    expect(exits).toEqual([0]);
    expect(order).toEqual(['drain', 'commit', 'consumer', 'producer']);
    expect(handled).toBeLessThan(500);

    // What was handled is exactly what was committed: the successor starts right after it.
    const check = new BatchConsumer(kafka, { groupId, topics: topic, logger });
    expect(await check.fetchCommitted(topic)).toEqual([{ partition: 0, offset: String(handled), metadata: 'shutdown' }]);
    await check.disconnect();
  });
});
