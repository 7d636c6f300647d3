import { KafkaJSNonRetriableError } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, type CrashInfo, ensureTopics, Producer } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('crash');

describe('BatchConsumer: crash handling with the real kafkajs consumer', () => {
  const kafka = testKafka('crash');
  const janitor = topicJanitor(kafka);
  const topic = uniqueName('crash.signalling.v1');

  beforeAll(async () => {
    janitor.add(topic);
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    await producer.send(topic, [{ value: 'poison' }]);
    await producer.disconnect();
  });
  afterAll(async () => {
    await janitor.cleanup();
  });

  for (const [label, makeError] of [
    ['a KafkaJSNonRetriableError', () => new KafkaJSNonRetriableError('cannot go on')],
    ['a TypeError (a bug in the handler)', () => new TypeError('x is undefined')],
  ] as const) {
    it(`calls onFatal when kafkajs will not restart after ${label}`, async () => {
      const fatal: Error[] = [];
      const crashes: CrashInfo[] = [];
      const lifecycle: string[] = [];
      const consumer = new BatchConsumer(kafka, {
        groupId: uniqueName(`crash-${label.length}`),
        topics: topic,
        fromBeginning: true,
        logger,
        maxWaitTimeInMs: 200,
        onFatal: (error) => fatal.push(error),
        onCrash: (info) => crashes.push(info),
        onStop: () => lifecycle.push('stop'),
        onDisconnect: () => lifecycle.push('disconnect'),
      });
      await consumer.start({
        onRevoked: () => void lifecycle.push('revoked'),
        eachBatch: async () => {
          throw makeError();
        },
      });
      await waitFor('onFatal', () => fatal.length > 0);
      expect(crashes).toEqual([expect.objectContaining({ restart: false })]);
      expect(fatal[0]?.message).toMatch(/cannot go on|x is undefined/);
      expect(consumer.status).toBe('failed');
      await waitFor('lifecycle events', () => lifecycle.includes('disconnect') && lifecycle.includes('revoked'));
      expect(lifecycle).toEqual(expect.arrayContaining(['stop', 'revoked', 'disconnect']));
      await consumer.disconnect();
    });
  }

  it('lets kafkajs restart after a retriable error (no onFatal) and re-delivers the batch', async () => {
    const fatal: Error[] = [];
    const crashes: CrashInfo[] = [];
    let attempts = 0;
    const consumer = new BatchConsumer(kafka, {
      groupId: uniqueName('crash-retriable'),
      topics: topic,
      fromBeginning: true,
      logger,
      maxWaitTimeInMs: 200,
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 200 },
      onFatal: (error) => fatal.push(error),
      onCrash: (info) => crashes.push(info),
    });
    let handled = false;
    await consumer.start({
      eachBatch: async () => {
        attempts += 1;
        if (attempts <= 3) throw new Error('downstream unavailable');
        handled = true;
      },
    });
    await waitFor('the batch handled after the restart', () => handled, 60_000);
    expect(fatal).toEqual([]);
    expect(crashes.length).toBeGreaterThanOrEqual(1);
    expect(crashes.every((c) => c.restart)).toBe(true);
    expect(consumer.status).toBe('running');
    await consumer.disconnect();
  });
});
