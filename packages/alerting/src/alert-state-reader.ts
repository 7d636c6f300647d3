/**
 * Reads a topic from the beginning up to the high-water marks taken at the start, with a throwaway consumer group
 * that commits nothing and is deleted afterwards: "everything written so far", without disturbing any real group.
 * On the compacted alert-state topic that is the latest state of every alert.
 */
import { randomUUID } from 'node:crypto';
import { BatchConsumer, type ConsumedRecord, type Kafka } from '@gtwatch/kafka';
import type { Logger } from '@gtwatch/observability';
import type { Alert } from '@gtwatch/schema';
import { parseAlertEvent } from './parse-event.js';

export interface ReadStateOptions {
  logger: Logger;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Group id prefix; a random suffix is added. */
  groupPrefix?: string;
}

export interface AlertState {
  /** Latest event per alertId (a tombstone removes the alert). */
  alerts: Map<string, Alert>;
  /** Records whose value was not an alert-v1 event. */
  skipped: number;
}

async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Calls `onRecord` for every record present when called, partition by partition in offset order. */
export async function readToEnd(kafka: Kafka, topic: string, options: ReadStateOptions, onRecord: (record: ConsumedRecord) => void): Promise<void> {
  const ends = await endOffsets(kafka, topic);
  if (ends.size === 0) return;
  const groupId = `${options.groupPrefix ?? 'gtwatch-read-to-end'}-${randomUUID()}`;
  const reached = new Map<number, bigint>();
  let failure: Error | undefined;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const complete = () => [...ends].every(([partition, end]) => (reached.get(partition) ?? -1n) >= end);
  const consumer = new BatchConsumer(kafka, {
    groupId,
    topics: topic,
    fromBeginning: true,
    logger: options.logger,
    maxWaitTimeInMs: 250,
    onFatal: (error) => {
      failure = error;
      finish();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.start({
      eachBatch: async (batch) => {
        const end = ends.get(batch.partition);
        if (end === undefined) return;
        for (const record of batch.records) {
          if (BigInt(record.offset) >= end) break;
          onRecord(record);
        }
        reached.set(batch.partition, BigInt(batch.lastOffset) + 1n);
        if (complete()) finish();
      },
    });
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        failure ??= new Error(`reading ${topic} did not reach its end within ${timeoutMs} ms`);
        resolve();
      }, timeoutMs);
    });
    await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    await deleteGroup(kafka, groupId, options.logger);
  }
  if (failure) throw failure;
}

export async function readAlertState(kafka: Kafka, topic: string, options: ReadStateOptions): Promise<AlertState> {
  const state: AlertState = { alerts: new Map(), skipped: 0 };
  await readToEnd(kafka, topic, { groupPrefix: 'gtwatch-alert-state-reader', ...options }, (record) => {
    const key = record.key?.toString('utf8');
    if (record.value === null) {
      if (key !== undefined) state.alerts.delete(key);
      return;
    }
    const parsed = parseAlertEvent(record.value.toString('utf8'));
    if (parsed.ok) state.alerts.set(parsed.event.data.alertId, parsed.event);
    else state.skipped++;
  });
  return state;
}

/** Best effort: an empty group with no offsets expires by itself, this only keeps `kafka-consumer-groups` tidy. */
export async function deleteGroup(kafka: Kafka, groupId: string, logger: Logger): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.deleteGroups([groupId]);
  } catch (error) {
    logger.debug({ err: error, groupId }, 'could not delete the throwaway consumer group');
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
