import { AlertSchema, DeadLetterSchema } from '@gtwatch/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AlertRefusedError,
  type ConsumedRecord,
  DeadLetterWriter,
  ensureTopics,
  Producer,
  publishAlert,
} from '../../src/index.js';
import { sampleAlert, sampleDeadLetter } from '../fixtures.js';
import { readRecords, testKafka, testLogger, topicJanitor, uniqueName } from './support.js';

const logger = testLogger('dlq-alerts');

describe('Dead-letter writer and alert publisher, read back from the broker', () => {
  const kafka = testKafka('dlq-alerts');
  const janitor = topicJanitor(kafka);
  const dlq = uniqueName('gtwatch.signalling.dlq.v1');
  const alerts = uniqueName('gtwatch.alerts.v1');
  const producer = new Producer(kafka, { logger });

  beforeAll(async () => {
    janitor.add(dlq, alerts);
    await ensureTopics(kafka, [
      { topic: dlq, partitions: 3 },
      { topic: alerts, partitions: 6 },
    ]);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await janitor.cleanup();
  });

  /** In timestamp order, then offset order: the order the writes were made in. */
  async function read(topic: string, count: number): Promise<ConsumedRecord[]> {
    const records = await readRecords(kafka, topic, count, logger);
    return records.sort((a, b) => a.timestamp - b.timestamp || Number(a.offset) - Number(b.offset));
  }

  it('writes dead letters as JSON keyed by reporter (or null) with the reason code header', async () => {
    const writer = new DeadLetterWriter(producer, dlq);
    await writer.write(sampleDeadLetter('234-15'));
    await writer.writeMany([sampleDeadLetter(null), sampleDeadLetter('234-15')]);
    const records = await read(dlq, 3);
    expect(records.map((r) => r.key?.toString() ?? null).sort()).toEqual(['234-15', '234-15', null].sort());
    for (const record of records) {
      expect(record.headers).toEqual({ 'gtwatch-reason': 'subscriber-not-pseudonymous', 'content-type': 'application/json' });
      const parsed = DeadLetterSchema.parse(JSON.parse(record.value!.toString()));
      // The 64-bit offset survives as a string.
      expect(parsed.source).toEqual({ kind: 'kafka', topic: 'gtwatch.signalling.v1', partition: 3, offset: '9007199254740993' });
    }
    // Same reporter, same partition, in order.
    const reporterPartitions = new Set(records.filter((r) => r.key !== null).map((r) => r.partition));
    expect(reporterPartitions.size).toBe(1);
  });

  it('publishes alerts as structured CloudEvents keyed by alertId with ce_ headers, and refuses TLP:RED', async () => {
    const opened = sampleAlert({ id: 'evt-1' });
    const updated = sampleAlert({ id: 'evt-2', type: 'org.gtwatch.alert.updated.v1' });
    await publishAlert(producer, alerts, opened);
    await publishAlert(producer, alerts, updated, { minimumTlp: 'green' });
    await expect(publishAlert(producer, alerts, sampleAlert({ id: 'evt-3', tlp: 'red' }))).rejects.toBeInstanceOf(AlertRefusedError);
    await expect(publishAlert(producer, alerts, sampleAlert({ id: 'evt-4', tlp: 'green' }), { minimumTlp: 'amber' })).rejects.toThrow(
      /below the topic's minimum/,
    );

    const records = await read(alerts, 2);
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.key?.toString())).toEqual(['a1b2c3d4e5f60718', 'a1b2c3d4e5f60718']);
    expect(records[0]!.partition).toBe(records[1]!.partition);
    expect(records.map((r) => r.headers)).toEqual([
      {
        ce_specversion: '1.0',
        ce_id: 'evt-1',
        ce_source: 'urn:gtwatch:scorer:scorer-0',
        ce_type: 'org.gtwatch.alert.opened.v1',
        ce_subject: '2250760000123',
        ce_tlp: 'amber',
        'content-type': 'application/cloudevents+json',
      },
      expect.objectContaining({ ce_id: 'evt-2', ce_type: 'org.gtwatch.alert.updated.v1' }),
    ]);
    expect(AlertSchema.parse(JSON.parse(records[0]!.value!.toString()))).toEqual(opened);
    expect(JSON.parse(records[1]!.value!.toString())).toEqual(updated);
  });
});
