/// <reference path="../../../../test/setup/provided-context.d.ts" />
/**
 * The integration harness, reduced to what this package needs: the root harness (test/support/services.ts) also
 * pulls in ClickHouse and observability, which are not dependencies of @gtwatch/kafka and would break this package's
 * typecheck. The values come from the root globalSetup (test/setup/global-setup.ts) through vitest's `inject`.
 */
import { type Logger, pino } from 'pino';
import { inject } from 'vitest';
import { BatchConsumer, type ConsumedRecord, createKafkaClient, deleteTopics, type Kafka } from '../../src/index.js';

export function testLogger(name: string) {
  return pino({ name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** Unique per run and label; dots and dashes kept so names look like the project's topics. */
export function uniqueName(label: string): string {
  return `${inject('runId')}.${label}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function testKafka(label: string): Kafka {
  return createKafkaClient({
    brokers: inject('kafkaBrokers').split(','),
    clientId: `gtwatch-test-${label}`,
    logger: testLogger(`kafka-${label}`),
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Registers topics for deletion; call `cleanup()` in afterAll. */
export function topicJanitor(kafka: Kafka) {
  const topics = new Set<string>();
  return {
    add(...names: string[]) {
      for (const name of names) topics.add(name);
      return names;
    },
    async cleanup() {
      await deleteTopics(kafka, [...topics]);
    },
  };
}

/**
 * Reads `topic` from the beginning in a group of its own until at least `count` records arrived, then leaves; the
 * records come in arrival order.
 */
export async function readRecords(kafka: Kafka, topic: string, count: number, logger: Logger): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  const consumer = new BatchConsumer(kafka, {
    groupId: uniqueName(`read-${topic}`),
    topics: topic,
    fromBeginning: true,
    logger,
    maxWaitTimeInMs: 200,
    onFatal: (error) => {
      throw error;
    },
  });
  await consumer.start({ eachBatch: async (batch) => void records.push(...batch.records) });
  await waitFor(`${count} records on ${topic}`, () => records.length >= count);
  await consumer.disconnect();
  return records;
}
