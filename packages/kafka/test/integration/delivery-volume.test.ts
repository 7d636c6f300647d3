/**
 * Delivery at volume on the real broker: produce N records through `Producer` (idempotent, acks=-1, keyed, 10 000
 * records per `send`), then consume them through `BatchConsumer` (one commit per batch). Every sent value is read
 * back, the idempotent producer stores no duplicate, and the plain producer's duplicates (retried requests the broker
 * had already appended) are counted, not hidden. N defaults to 20 000 per case (KAFKA_THROUGHPUT_MESSAGES overrides
 * it). The rates it prints are for information only: speed is measured by benchmarks, never asserted by tests.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { BatchConsumer, ensureTopics, nextOffset, Producer, type ProducerOptions } from '../../src/index.js';
import { testKafka, testLogger, topicJanitor, uniqueName } from './support.js';

const logger = testLogger('throughput');
const COUNT = Number(process.env.KAFKA_THROUGHPUT_MESSAGES ?? 20_000);
const PARTITIONS = 6;
const SEND_CHUNK = 10_000;

interface Row {
  case: string;
  records: number;
  /** Records stored beyond those sent: producer retries of requests the broker had already appended. */
  duplicates: number;
  /** Records handed to the handler more than once (a batch retried after a failed commit, at-least-once). */
  redelivered: number;
  produceMs: number;
  producePerSec: number;
  consumeMs: number;
  consumePerSec: number;
  MBps: number;
}

describe('Producer and BatchConsumer throughput', () => {
  const kafka = testKafka('throughput');
  const janitor = topicJanitor(kafka);
  const rows: Row[] = [];

  afterAll(async () => {
    process.stdout.write(`\nKafka adapter throughput (${COUNT} records, ${PARTITIONS} partitions, single local broker)\n`);
    console.table(rows);
    await janitor.cleanup();
  });

  async function measure(label: string, size: number, producerOptions: Partial<ProducerOptions> = {}): Promise<Row> {
    const topic = uniqueName(`throughput.${label}`);
    janitor.add(topic);
    await ensureTopics(kafka, [{ topic, partitions: PARTITIONS }]);
    const payload = 'x'.repeat(size - 24);
    const producer = new Producer(kafka, { logger, ...producerOptions });
    await producer.connect();
    const producedAt = performance.now();
    for (let start = 0; start < COUNT; start += SEND_CHUNK) {
      const records = [];
      for (let i = start; i < Math.min(COUNT, start + SEND_CHUNK); i++) {
        // 24-character prefix keeps values exactly `size` bytes.
        records.push({ key: `gt-${i % 5000}`, value: `${String(i).padStart(23, '0')}:${payload}` });
      }
      await producer.send(topic, records);
    }
    const produceMs = performance.now() - producedAt;
    await producer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const stored = ends.reduce((sum, p) => sum + Number(p.high), 0);

    let consumed = 0;
    const distinct = new Set<number>();
    const offsets = new Set<string>();
    let firstBatchAt = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const consumer = new BatchConsumer(kafka, {
      groupId: uniqueName(`throughput-${label}`),
      topics: topic,
      fromBeginning: true,
      logger,
      maxWaitTimeInMs: 100,
      onFatal: (error) => {
        throw error;
      },
    });
    await consumer.start({
      eachBatch: async (batch, context) => {
        if (firstBatchAt === 0) firstBatchAt = performance.now();
        let bytes = 0;
        for (const record of batch.records) {
          bytes += record.value?.length ?? 0;
          distinct.add(Number(record.value!.subarray(0, 23).toString()));
          offsets.add(`${record.partition}:${record.offset}`);
        }
        if (bytes === 0) throw new Error('empty values');
        consumed += batch.records.length;
        await consumer.commit(batch.topic, batch.partition, nextOffset(batch.lastOffset));
        await context.heartbeat();
        if (offsets.size >= stored) done();
      },
    });
    await finished;
    const consumeMs = performance.now() - firstBatchAt;
    await consumer.disconnect();
    expect(offsets.size).toBe(stored);
    expect(distinct.size).toBe(COUNT);
    const row: Row = {
      case: label,
      records: COUNT,
      duplicates: stored - COUNT,
      redelivered: consumed - offsets.size,
      produceMs: Math.round(produceMs),
      producePerSec: Math.round((COUNT / produceMs) * 1000),
      consumeMs: Math.round(consumeMs),
      consumePerSec: Math.round((COUNT / consumeMs) * 1000),
      MBps: Math.round(((COUNT * size) / 1e6 / (produceMs / 1000)) * 10) / 10,
    };
    rows.push(row);
    return row;
  }

  it.each<[string, number, Partial<ProducerOptions>]>([
    ['100B idempotent', 100, {}],
    ['400B idempotent', 400, {}],
    ['400B idempotent gzip', 400, { compression: 'gzip' }],
    ['400B plain (not idempotent)', 400, { idempotent: false }],
  ])('%s', async (label, size, options) => {
    const row = await measure(label.replace(/[^A-Za-z0-9]+/g, '-'), size, options);
    if (options.idempotent !== false) expect(row.duplicates).toBe(0);
  });
});
