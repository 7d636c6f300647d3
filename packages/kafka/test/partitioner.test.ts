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

describe('stable partitioner', () => {
  it('puts a keyed record where the Java client would', () => {
    const stable = createStablePartitioner();
    const java = Partitioners.DefaultPartitioner();
    for (let i = 0; i < 200; i++) {
      const message: Message = { key: `reporter-${i}`, value: 'x' };
      expect(stable({ topic: 't', partitionMetadata: metadata, message })).toBe(java({ topic: 't', partitionMetadata: metadata, message }));
    }
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
