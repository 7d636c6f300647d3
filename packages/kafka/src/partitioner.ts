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

export const createStablePartitioner: ICustomPartitioner = () => {
  const javaCompatible = Partitioners.DefaultPartitioner();
  const chosen = new WeakMap<Message, number>();
  return (args) => {
    const previous = chosen.get(args.message);
    if (previous !== undefined && previous < args.partitionMetadata.length) return previous;
    const partition = javaCompatible(args);
    chosen.set(args.message, partition);
    return partition;
  };
};
