import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { dockerAnswers, startContainerServices } from './container-services.js';
import { startLocalServices } from './local-services.js';
import { assertReachable } from './reachability.js';

/**
 * Integration tests always talk to a real Kafka and a real ClickHouse: the ones named by KAFKA_BROKERS /
 * CLICKHOUSE_URL, else containers where Docker answers, else the servers deploy/local starts. A service that
 * cannot be reached fails the run loudly; nothing is ever skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = { kafka: Boolean(process.env.KAFKA_BROKERS), clickhouse: Boolean(process.env.CLICKHOUSE_URL) };
  let started: { env: Record<string, string>; stop: () => Promise<void> } = { env: {}, stop: async () => {} };
  if (!given.kafka || !given.clickhouse) {
    const docker = await dockerAnswers();
    process.stderr.write(
      `[integration] starting ${[!given.kafka && 'Kafka', !given.clickhouse && 'ClickHouse'].filter(Boolean).join(' and ')} ` +
        `with ${docker ? 'testcontainers' : 'deploy/local'}\n`,
    );
    started = docker ? await startContainerServices(given) : await startLocalServices(given);
  }
  const env = { ...process.env, ...started.env };
  const services = {
    kafkaBrokers: env.KAFKA_BROKERS ?? '',
    clickhouseUrl: env.CLICKHOUSE_URL ?? '',
    clickhouseUser: env.CLICKHOUSE_USER ?? 'default',
    clickhousePassword: env.CLICKHOUSE_PASSWORD ?? '',
  };
  try {
    await assertReachable(services);
  } catch (error) {
    await started.stop();
    throw error;
  }
  const runId = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  process.stderr.write(`[integration] run ${runId}: Kafka ${services.kafkaBrokers}, ClickHouse ${services.clickhouseUrl}\n`);
  project.provide('kafkaBrokers', services.kafkaBrokers);
  project.provide('clickhouseUrl', services.clickhouseUrl);
  project.provide('clickhouseUser', services.clickhouseUser);
  project.provide('clickhousePassword', services.clickhousePassword);
  project.provide('runId', runId);
  return async () => {
    await started.stop();
  };
}
