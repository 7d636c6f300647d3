/// <reference path="../../../../test/setup/provided-context.d.ts" />
/**
 * The integration harness, reduced to what this package needs (the root harness pulls in ClickHouse). Values come
 * from the root globalSetup (test/setup/global-setup.ts) through vitest's `inject`.
 */
import { createKafkaClient, type Kafka } from '@gtwatch/kafka';
import { createLogger, type Logger } from '@gtwatch/observability';
import { inject } from 'vitest';

export function testLogger(name: string): Logger {
  return createLogger({ service: name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** A topic prefix of this run's own, so topics never collide with other runs or tests. */
export function uniquePrefix(label: string): string {
  return `${inject('runId')}-${label}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function testKafka(label: string): Kafka {
  return createKafkaClient({ brokers: inject('kafkaBrokers').split(','), clientId: `gtwatch-test-${label}`, logger: testLogger(`kafka-${label}`) });
}
