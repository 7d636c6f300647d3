/**
 * Follows an alert topic with a throwaway consumer group (commits nothing, deleted on stop) and hands each record
 * to the caller as the raw value and, when it is one, the validated alert event.
 */
import { randomUUID } from 'node:crypto';
import { BatchConsumer, type Kafka } from '@gtwatch/kafka';
import type { Logger } from '@gtwatch/observability';
import { deleteGroup } from './alert-state-reader.js';
import { type ParsedEvent, parseAlertEvent } from './parse-event.js';

export interface FeedRecord {
  /** The record value exactly as read (UTF-8). */
  raw: string;
  parsed: ParsedEvent;
}

export interface FollowOptions {
  topic: string;
  fromBeginning: boolean;
  logger: Logger;
  onRecord: (record: FeedRecord) => void | Promise<void>;
  groupPrefix?: string;
}

export interface Follower {
  /** Resolves once the group was joined (records start arriving). */
  readonly started: Promise<void>;
  /** Resolves when the feed stops: after `stop()`, or with an error when the consumer failed. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
  assignedPartitions(): number;
}

export function followAlerts(kafka: Kafka, options: FollowOptions): Follower {
  const groupId = `${options.groupPrefix ?? 'gtwatch-alerts-tail'}-${randomUUID()}`;
  let fail: (error: Error) => void = () => {};
  let end: () => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  // Marked handled here so a failure before the caller awaits it is not an unhandled rejection.
  finished.catch(() => {});
  const consumer = new BatchConsumer(kafka, {
    groupId,
    topics: options.topic,
    fromBeginning: options.fromBeginning,
    logger: options.logger,
    maxWaitTimeInMs: 500,
    onFatal: (error) => fail(error),
  });
  const started = consumer.start({
    eachBatch: async (batch) => {
      for (const record of batch.records) {
        if (record.value === null) continue;
        const raw = record.value.toString('utf8');
        await options.onRecord({ raw, parsed: parseAlertEvent(raw) });
      }
    },
  });
  started.catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));
  let stopping: Promise<void> | undefined;
  return {
    started,
    finished,
    assignedPartitions: () => consumer.assignment().reduce((n, { partitions }) => n + partitions.length, 0),
    stop() {
      stopping ??= (async () => {
        await consumer.disconnect();
        await deleteGroup(kafka, groupId, options.logger);
        end();
      })();
      return stopping;
    },
  };
}
