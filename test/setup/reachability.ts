import { createClickHouseClient } from '@gtwatch/clickhouse';
import { createKafkaClient } from '@gtwatch/kafka';
import { createLogger } from '@gtwatch/observability';

export interface ServiceEndpoints {
  kafkaBrokers: string;
  clickhouseUrl: string;
  clickhouseUser: string;
  clickhousePassword: string;
}

/** Fails with one clear message naming each unreachable service, instead of letting every test time out. */
export async function assertReachable(services: ServiceEndpoints): Promise<void> {
  const problems: string[] = [];
  const kafka = createKafkaClient({
    brokers: services.kafkaBrokers.split(','),
    clientId: 'gtwatch-test-setup',
    logger: createLogger({ service: 'test-setup', level: 'silent' }),
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (error) {
    problems.push(`Kafka at ${services.kafkaBrokers || '(unset)'}: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const clickhouse = createClickHouseClient({
    url: services.clickhouseUrl,
    user: services.clickhouseUser,
    password: services.clickhousePassword,
    requestTimeoutMs: 10_000,
  });
  try {
    const ping = await clickhouse.ping();
    if (!ping.success) throw ping.error;
  } catch (error) {
    problems.push(`ClickHouse at ${services.clickhouseUrl || '(unset)'}: ${(error as Error).message}`);
  } finally {
    await clickhouse.close();
  }
  if (problems.length > 0) {
    throw new Error(`Integration services are not reachable:\n  - ${problems.join('\n  - ')}`);
  }
}
