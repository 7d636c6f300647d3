import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchConsumer, ensureTopics, Producer } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName, waitFor } from './support.js';

const logger = testLogger('pause');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BatchConsumer: pause and resume for back-pressure', () => {
  const kafka = testKafka('pause');
  const janitor = topicJanitor(kafka);
  const topic = uniqueName('pause.aggregates.v1');
  const producer = new Producer(kafka, { logger });

  beforeAll(async () => {
    janitor.add(topic);
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await janitor.cleanup();
  });

  it('holds back paused partitions (also when paused before start) and delivers them after resume', async () => {
    const got: string[] = [];
    const consumer = new BatchConsumer(kafka, {
      groupId: uniqueName('pause-group'),
      topics: topic,
      fromBeginning: true,
      logger,
      maxWaitTimeInMs: 200,
      heartbeatInterval: 300,
      onFatal: (error) => {
        throw error;
      },
    });
    const send = (label: string) =>
      producer.send(topic, [
        { value: `${label}-p0`, partition: 0 },
        { value: `${label}-p1`, partition: 1 },
      ]);

    consumer.pause(topic, [1]); // before start: kafkajs itself would refuse this
    await send('one');
    await consumer.start({ eachBatch: async (batch) => void got.push(...batch.records.map((r) => r.value!.toString())) });
    await waitFor('p0 record', () => got.includes('one-p0'));
    await sleep(1_500);
    expect(got).toEqual(['one-p0']);
    expect(consumer.isPaused(topic, 1)).toBe(true);

    consumer.resume(topic, [1]);
    await waitFor('p1 record after resume', () => got.includes('one-p1'));

    // Whole topic paused (also partitions assigned later), then one partition let through, then all.
    consumer.pause(topic);
    await send('two');
    await sleep(1_500);
    expect(got).toEqual(['one-p0', 'one-p1']);
    consumer.resume(topic, [0]);
    await waitFor('p0 after partial resume', () => got.includes('two-p0'));
    await sleep(1_000);
    expect(got).not.toContain('two-p1');
    consumer.resume(topic);
    await waitFor('p1 after full resume', () => got.includes('two-p1'));
    expect(got.sort()).toEqual(['one-p0', 'one-p1', 'two-p0', 'two-p1']);
    await consumer.disconnect();
  });

  it('ends a running batch early when its partition is paused during the batch, and re-delivers the rest', async () => {
    const pauseTopic = uniqueName('pause.midbatch.v1');
    janitor.add(pauseTopic);
    await ensureTopics(kafka, [{ topic: pauseTopic, partitions: 1 }]);
    await producer.send(pauseTopic, Array.from({ length: 20 }, (_, i) => ({ value: String(i) })));
    const handled: string[] = [];
    const consumer = new BatchConsumer(kafka, {
      groupId: uniqueName('midbatch-group'),
      topics: pauseTopic,
      fromBeginning: true,
      logger,
      maxWaitTimeInMs: 200,
      onFatal: (error) => {
        throw error;
      },
    });
    let paused = false;
    await consumer.start({
      eachBatch: async (batch, context) => {
        for (const record of batch.records) {
          if (!context.isRunning()) return; // stop where we are; later records come again after resume
          handled.push(record.value!.toString());
          context.resolveOffset(record.offset);
          if (!paused && handled.length === 5) {
            paused = true;
            consumer.pause(pauseTopic);
          }
        }
      },
    });
    await waitFor('five handled', () => handled.length === 5);
    await sleep(1_000);
    expect(handled).toEqual(['0', '1', '2', '3', '4']);
    consumer.resume(pauseTopic);
    await waitFor('all 20', () => handled.length === 20);
    expect(handled).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    await consumer.disconnect();
  });
});
