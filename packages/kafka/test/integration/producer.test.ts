import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics, Producer } from '../../src/index.js';
import { readRecords, testKafka, testLogger, topicJanitor, uniqueName } from './support.js';

const logger = testLogger('producer');

/** The Java client's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), to check cross-client key placement. */
function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ data.length) | 0;
  const length4 = data.length >> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! & 0xff) + ((data[i4 + 1]! & 0xff) << 8) + ((data[i4 + 2]! & 0xff) << 16) + ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = data.length % 4;
  const base = data.length & ~3;
  if (rest === 3) h ^= (data[base + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[base + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[base]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}
const javaPartition = (key: string, partitions: number) => (murmur2(Buffer.from(key)) & 0x7fffffff) % partitions;

describe('Producer against the real broker', () => {
  const kafka = testKafka('producer');
  const janitor = topicJanitor(kafka);
  const topic = uniqueName('producer.signalling.v1');
  const other = uniqueName('producer.other.v1');

  beforeAll(async () => {
    janitor.add(topic, other);
    await ensureTopics(kafka, [
      { topic, partitions: 6 },
      { topic: other, partitions: 2 },
    ]);
  });
  afterAll(async () => {
    await janitor.cleanup();
  });

  it('is idempotent on this broker and puts every key on the partition the Java client would choose', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `2250760000${100 + i}`);
    const first = new Producer(kafka, { logger });
    const second = new Producer(kafka, { logger, compression: 'gzip' });
    await first.connect();
    await second.connect();
    // Concurrent sends through one idempotent producer are serialised, so sequence numbers stay consistent.
    await Promise.all(
      Array.from({ length: 10 }, (_, round) =>
        first.send(topic, keys.map((key) => ({ key, value: `first-${round}`, headers: { round: String(round) } }))),
      ),
    );
    const sent = await second.sendBatch([
      { topic, records: keys.map((key) => ({ key, value: 'second' })) },
      { topic: other, records: [{ key: 'k', value: 'elsewhere' }] },
    ]);
    expect(first.idempotent).toBe(true);
    expect(second.idempotent).toBe(true);
    expect(new Set(sent.map((s) => s.topic))).toEqual(new Set([topic, other]));
    await first.disconnect();
    await second.disconnect();

    const records = await readRecords(kafka, topic, keys.length * 11, logger);
    expect(records).toHaveLength(keys.length * 11);
    const partitionOf = new Map<string, Set<number>>();
    for (const record of records) {
      const key = record.key!.toString();
      partitionOf.set(key, (partitionOf.get(key) ?? new Set()).add(record.partition));
    }
    for (const key of keys) expect([...partitionOf.get(key)!]).toEqual([javaPartition(key, 6)]);
    // Order per key is kept across the concurrent sends.
    const rounds = records.filter((r) => r.key!.toString() === keys[0]).map((r) => r.headers.round ?? 'second');
    expect(rounds).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'second']);
    // Several partitions are in use: the keys spread.
    expect(new Set(records.map((r) => r.partition)).size).toBeGreaterThan(3);
    expect((await readRecords(kafka, other, 1, logger))[0]?.value?.toString()).toBe('elsewhere');
  });

  it('splits a large send into requests under the broker message size limit', async () => {
    const big = uniqueName('producer.big.v1');
    janitor.add(big);
    await ensureTopics(kafka, [{ topic: big, partitions: 1 }]);
    const producer = new Producer(kafka, { logger });
    await producer.connect();
    // 3 000 × 1 KiB = 3 MiB for one partition: one request would exceed message.max.bytes (1 MiB).
    const value = 'x'.repeat(1024);
    const sent = await producer.send(big, Array.from({ length: 3000 }, () => ({ value })));
    await producer.disconnect();
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const records = await readRecords(kafka, big, 3000, logger);
    expect(records.at(-1)?.offset).toBe('2999');
  });

  it('refuses to send to a topic that does not exist instead of auto-creating it', async () => {
    const producer = new Producer(kafka, { logger, retry: { retries: 1, maxRetryTime: 200 } });
    await producer.connect();
    await expect(producer.send(uniqueName('producer.missing.v1'), [{ value: 'x' }])).rejects.toThrow();
    await producer.disconnect();
  });
});
