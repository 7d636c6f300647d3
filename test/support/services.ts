import { type ClickHouseClient, createClickHouseClient, createDatabase, dropDatabase } from '@gtwatch/clickhouse';
import { createKafkaClient, type Kafka } from '@gtwatch/kafka';
import { createLogger, type Logger } from '@gtwatch/observability';
import { inject } from 'vitest';

/** A logger for tests: silent unless TEST_LOG_LEVEL asks for more. */
export function testLogger(name: string): Logger {
  return createLogger({ service: name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** Topic and database names unique to this run and this test file, so runs never see each other's data. */
export function uniqueName(label: string): string {
  return `${inject('runId')}_${label}`.replace(/[^A-Za-z0-9_]/g, '_');
}

export function testKafka(label: string): Kafka {
  return createKafkaClient({
    brokers: inject('kafkaBrokers').split(','),
    clientId: `gtwatch-test-${label}`,
    logger: testLogger(`kafka-${label}`),
  });
}

export function clickHouseOptions(database?: string) {
  return {
    url: inject('clickhouseUrl'),
    user: inject('clickhouseUser'),
    password: inject('clickhousePassword'),
    ...(database ? { database } : {}),
  };
}

/** Creates a database for this test file and returns a client bound to it, plus cleanup. */
export async function testDatabase(label: string): Promise<{
  database: string;
  client: ClickHouseClient;
  drop: () => Promise<void>;
}> {
  const database = uniqueName(label);
  const admin = createClickHouseClient(clickHouseOptions());
  await createDatabase(admin, database);
  const client = createClickHouseClient(clickHouseOptions(database));
  return {
    database,
    client,
    drop: async () => {
      await client.close();
      await dropDatabase(admin, database);
      await admin.close();
    },
  };
}
