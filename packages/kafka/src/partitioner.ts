/**
 * The partitioner every gtwatch producer uses: the Java client's choice (murmur2 on the key, over all partitions),
 * made stable across kafkajs' internal retries.
 *
 * kafkajs regroups a request's messages on every retry. For keyed records that is harmless (the key decides), but
 * records without a key go round robin, so a retry after a partial failure (one partition answers NOT_LEADER while
 * another has already appended) would put different records behind the same idempotent sequence number on a
 * partition, and the broker fails the send with OUT_OF_ORDER_SEQUENCE_NUMBER. Remembering each message's first
 * partition makes the retry resend exactly what was sent, which the broker then recognises as a duplicate.
 */
import { type ICustomPartitioner, type Message, Partitioners } from 'kafkajs';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's murmur2 (`Utils.murmur2` of the Java client) in 32-bit integer arithmetic. kafkajs computes the same hash
 * with 64-bit BigInt objects, several allocations per four key bytes, which made it a visible share of the scorer's
 * CPU for keyed records; only the low 32 bits ever reach the result, so `Math.imul` gives the identical value.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const whole = length & ~3;
  let h = SEED ^ length;
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= (data[whole + 2] as number) << 16;
  if (rest >= 2) h ^= (data[whole + 1] as number) << 8;
  if (rest >= 1) h = Math.imul(h ^ (data[whole] as number), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

const encoder = new TextEncoder();
/** Reused for string keys (GTs, realms, pseudonyms: tens of bytes); a longer key gets its own buffer. */
const scratch = new Uint8Array(1024);

function keyBytes(key: Buffer | string): Uint8Array {
  if (typeof key !== 'string') return key;
  // UTF-8 needs at most three bytes per UTF-16 unit, so a key that fits is never cut short.
  if (key.length * 3 > scratch.length) return Buffer.from(key, 'utf8');
  return scratch.subarray(0, encoder.encodeInto(key, scratch).written);
}

/** The Java client's partition for a key: the positive part of its murmur2, modulo the partition count. */
export function partitionForKey(key: Buffer | string, partitions: number): number {
  return (murmur2(keyBytes(key)) & 0x7fffffff) % partitions;
}

export const createStablePartitioner: ICustomPartitioner = () => {
  const javaCompatible = Partitioners.DefaultPartitioner();
  const chosen = new WeakMap<Message, number>();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    // A key decides alone, the same way on every retry.
    if (message.key !== undefined && message.key !== null) return partitionForKey(message.key, partitionMetadata.length);
    const previous = chosen.get(message);
    if (previous !== undefined && previous < partitionMetadata.length) return previous;
    const partition = javaCompatible(args);
    chosen.set(message, partition);
    return partition;
  };
};
