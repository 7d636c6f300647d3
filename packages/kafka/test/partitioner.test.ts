import { type Message, Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createStablePartitioner } from '../src/partitioner.js';

const metadata: PartitionMetadata[] = Array.from({ length: 6 }, (_, partitionId) => ({
  partitionId,
  leader: 1,
  replicas: [1],
  isr: [1],
  partitionErrorCode: 0,
}));

function manyPartitions(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0 }));
}

/** A small deterministic generator (mulberry32), so a failure names keys that can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('stable partitioner', () => {
  it('puts a keyed record where the Java client would', () => {
    const stable = createStablePartitioner();
    const java = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 200; i++) {
      const message: Message = { key: `reporter-${i}`, value: 'x' };
      expect(stable({ topic: 't', partitionMetadata: metadata, message })).toBe(java({ topic: 't', partitionMetadata: metadata, message }));
    }
  });

  it('hashes any key exactly as the Java client does: empty, every length remainder, non-ASCII, long, and bytes', () => {
    const stable = createStablePartitioner();
    const java = Partitioners.DefaultPartitioner();
    const random = seededRandom(42);
    const keys: (string | Buffer)[] = ['', 'a', 'ab', 'abc', 'abcd', 'ß', '東京', '🛰️ gt', 'x'.repeat(400), 'é'.repeat(600), '東'.repeat(400)];
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 80);
      const codes = Array.from({ length }, () => (random() < 0.9 ? 0x20 + Math.floor(random() * 95) : 0xa0 + Math.floor(random() * 0x2000)));
      const text = String.fromCharCode(...codes);
      keys.push(text, Buffer.from(text, 'utf8'), Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))));
    }
    for (const key of keys) {
      const message: Message = { key, value: 'x' };
      for (const partitions of [1, 6, 7, 64]) {
        const partitionMetadata = metadata.length >= partitions ? metadata.slice(0, partitions) : manyPartitions(partitions);
        expect(stable({ topic: 't', partitionMetadata, message })).toBe(java({ topic: 't', partitionMetadata, message }));
      }
    }
  });

  it('keeps a partition the record names itself', () => {
    const partitioner = createStablePartitioner();
    expect(partitioner({ topic: 't', partitionMetadata: metadata, message: { key: 'any', value: 'x', partition: 4 } })).toBe(4);
  });

  it('spreads unkeyed records, and sends each one to the same partition again when kafkajs retries the request', () => {
    const partitioner = createStablePartitioner();
    const messages: Message[] = Array.from({ length: 12 }, (_, i) => ({ key: null, value: `dead letter ${i}` }));
    const first = messages.map((message) => partitioner({ topic: 'dlq', partitionMetadata: metadata, message }));
    const retry = messages.map((message) => partitioner({ topic: 'dlq', partitionMetadata: metadata, message }));
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(retry).toEqual(first);
  });

  it('chooses again when the remembered partition no longer exists', () => {
    const partitioner = createStablePartitioner();
    const messages: Message[] = Array.from({ length: 6 }, (_, i) => ({ key: null, value: `x${i}` }));
    const beyondFirst = messages.find((message) => partitioner({ topic: 't', partitionMetadata: metadata, message }) > 0);
    if (!beyondFirst) throw new Error('round robin never left partition 0');
    expect(partitioner({ topic: 't', partitionMetadata: metadata.slice(0, 1), message: beyondFirst })).toBe(0);
  });
});
