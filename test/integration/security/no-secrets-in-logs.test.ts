import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Env, loadConfig, topicNames } from '@gtwatch/config';
import { createKafkaClient, defaultTopicSpecs, deleteTopics, ensureTopics } from '@gtwatch/kafka';
import { createLogger, type Logger } from '@gtwatch/observability';
import { startScorer } from '@gtwatch/scorer';
import { runSink, type SinkHandle } from '@gtwatch/sink';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka } from '../../support/services.js';
import { kafkaAs, type SecureKafka, secureDown, secureKafkaEnv, secureUp, startSecureKafka } from './support.js';

/**
 * The services run with known secrets in their configuration (a SASL password, a ClickHouse password, both from
 * *_FILE and from the environment), at debug level so that kafkajs' own logging is included, on success and on the
 * failure paths where errors are logged; no log line may contain a secret, nor the HTTP Basic credentials built
 * from one.
 */
const REFERENCE_DIR = resolve(import.meta.dirname, '../../../packages/numbering/fixtures/reference');
const WRONG_SASL = 'wrong-sasl-password-4f1c2e';
const WRONG_CLICKHOUSE = 'wrong-clickhouse-password-9ab3d0';

let secure: SecureKafka;
let clickhouseUrl: string;
let clickhouseSecrets: string;
const prefix = `${inject('runId')}.logs`;
const topics = topicNames(prefix);
const database = `${inject('runId')}_logs`;

/** A debug-level service logger whose lines are kept for inspection. */
function capturingLogger(service: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ service, level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}

function secretForms(secret: string, users: readonly string[]): string[] {
  return [secret, ...users.map((user) => Buffer.from(`${user}:${secret}`).toString('base64'))];
}

function expectNoSecrets(lines: readonly string[], secrets: readonly string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const [index, line] of lines.entries()) {
    for (const secret of secrets) {
      if (line.includes(secret)) throw new Error(`log line ${index + 1} contains a secret: ${line.replaceAll(secret, '<SECRET>')}`);
    }
  }
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Starts the sink the way `gtwatch run sink` does, with the Kafka client built from the same configuration. */
async function sink(env: Env, logger: Logger, stderr: string[]): Promise<{ handle: SinkHandle | undefined; exits: number[] }> {
  const exits: number[] = [];
  const config = loadConfig(env);
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'gtwatch-sink', logger, security: config.kafka.security });
  try {
    const handle = await runSink(env, {
      logger,
      kafka,
      exit: (code) => void exits.push(code),
      signals: [],
      stderr: { write: (text: string) => stderr.push(text) },
      requestTimeoutMs: 5_000,
      pingIntervalMs: 500,
    });
    return { handle, exits };
  } catch {
    return { handle: undefined, exits };
  }
}

beforeAll(async () => {
  secure = await startSecureKafka();
  // Restarted so that the users.d fragment names this run's database from the first query on.
  await secureDown('clickhouse');
  const env = await secureUp('clickhouse', { GTWATCH_CH_DATABASE: database });
  clickhouseUrl = env.CLICKHOUSE_SECURE_URL ?? '';
  clickhouseSecrets = env.CLICKHOUSE_SECURE_SECRETS_DIR ?? '';
  await ensureTopics(kafkaAs(secure, 'admin'), defaultTopicSpecs(topics, { signallingPartitions: 1, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] }));
  await ensureTopics(testKafka('logs'), defaultTopicSpecs(topics, { signallingPartitions: 1, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] }));
});

afterAll(async () => {
  const names = defaultTopicSpecs(topics, { signallingPartitions: 1, jurisdictions: ['gb', 'us', 'ca', 'au', 'nz'] }).map((spec) => spec.topic);
  if (secure) await deleteTopics(kafkaAs(secure, 'admin'), names);
  await deleteTopics(testKafka('logs'), names);
  if (clickhouseUrl) await fetch(clickhouseUrl, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` });
  await secureDown('kafka');
  await secureDown('clickhouse');
});

function sinkEnv(overrides: Env = {}): Env {
  return {
    ...secureKafkaEnv(secure, 'admin'),
    KAFKA_SASL_PASSWORD: undefined,
    KAFKA_SASL_PASSWORD_FILE: join(secure.secretsDir, 'admin.password'),
    CLICKHOUSE_URL: clickhouseUrl,
    CLICKHOUSE_USER: 'gtwatch_migrator',
    CLICKHOUSE_PASSWORD_FILE: join(clickhouseSecrets, 'migrator.password'),
    CLICKHOUSE_DATABASE: database,
    GTWATCH_TOPIC_PREFIX: prefix,
    PORT: '0',
    LOG_LEVEL: 'debug',
    ...overrides,
  };
}

describe('no secret in logs', () => {
  it('the sink on SASL_SSL Kafka and a password-protected ClickHouse, started and stopped', async () => {
    const saslPassword = secure.password('admin');
    const clickhousePassword = readFileSync(join(clickhouseSecrets, 'migrator.password'), 'utf8').trim();
    const { logger, lines } = capturingLogger('gtwatch-sink');
    const stderr: string[] = [];
    const { handle } = await sink(sinkEnv(), logger, stderr);
    if (!handle) throw new Error(`the sink did not start:\n${lines.join('')}`);
    await Promise.race([handle.ready, new Promise((_, reject) => setTimeout(() => reject(new Error(`not ready:\n${lines.slice(-40).join('')}`)), 30_000))]);
    await handle.stop();
    expect(lines.some((line) => line.includes('sink ready'))).toBe(true);
    expectNoSecrets([...lines, ...stderr], [...secretForms(saslPassword, ['admin']), ...secretForms(clickhousePassword, ['gtwatch_migrator'])]);
  });

  it('the sink with a wrong SASL password: the refusal is logged, the password is not', async () => {
    const { logger, lines } = capturingLogger('gtwatch-sink');
    const stderr: string[] = [];
    const env = sinkEnv({ KAFKA_SASL_PASSWORD_FILE: undefined, KAFKA_SASL_PASSWORD: WRONG_SASL });
    const { handle, exits } = await sink(env, logger, stderr);
    await waitFor('the sink to give up', () => exits.length > 0);
    await handle?.stop().catch(() => {});
    expect(exits[0]).toBe(1);
    expect(lines.some((line) => line.includes('rejected the login of user \\"admin\\" with SCRAM-SHA-512'))).toBe(true);
    expectNoSecrets([...lines, ...stderr], secretForms(WRONG_SASL, ['admin']));
  });

  it('the sink with a wrong ClickHouse password: the retries are logged, the password is not', async () => {
    const { logger, lines } = capturingLogger('gtwatch-sink');
    const stderr: string[] = [];
    const env = sinkEnv({ CLICKHOUSE_PASSWORD_FILE: undefined, CLICKHOUSE_PASSWORD: WRONG_CLICKHOUSE });
    const { handle } = await sink(env, logger, stderr);
    await waitFor('a logged ClickHouse failure', () => lines.some((line) => line.includes('Wrong password for user gtwatch_migrator')));
    await handle?.stop().catch(() => {});
    expectNoSecrets([...lines, ...stderr], secretForms(WRONG_CLICKHOUSE, ['gtwatch_migrator']));
  });

  it('the scorer on SASL_SSL Kafka, started and stopped, and refused with a wrong password', async () => {
    const saslPassword = secure.password('admin');
    const { logger, lines } = capturingLogger('scorer');
    const config = loadConfig(sinkEnv({ GTWATCH_REFERENCE_DIR: REFERENCE_DIR, GTWATCH_INSTANCE: 'logs-scorer' }));
    const scorer = await startScorer(config, { logger, healthHost: '127.0.0.1', onFatal: (error) => logger.fatal({ err: error }, 'fatal') });
    await waitFor('the scorer to be ready', () => scorer.readiness.ready);
    await scorer.stop();
    expectNoSecrets(lines, secretForms(saslPassword, ['admin']));

    const refused = capturingLogger('scorer');
    const wrong = loadConfig(sinkEnv({ GTWATCH_REFERENCE_DIR: REFERENCE_DIR, KAFKA_SASL_PASSWORD_FILE: undefined, KAFKA_SASL_PASSWORD: WRONG_SASL }));
    const failure = await startScorer(wrong, { logger: refused.logger, healthHost: '127.0.0.1', onFatal: () => {} }).then(
      async (handle) => {
        await handle.stop();
        return null;
      },
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/admin/);
    refused.logger.error({ err: failure }, 'scorer failed to start');
    expectNoSecrets(refused.lines, secretForms(WRONG_SASL, ['admin']));
  });

  it('the scorer with a ClickHouse password in its configuration, started and stopped', async () => {
    const clickhousePassword = 'scorer-config-clickhouse-secret-77e1';
    const { logger, lines } = capturingLogger('scorer');
    const config = loadConfig({
      KAFKA_BROKERS: inject('kafkaBrokers'),
      CLICKHOUSE_PASSWORD: clickhousePassword,
      GTWATCH_TOPIC_PREFIX: prefix,
      GTWATCH_REFERENCE_DIR: REFERENCE_DIR,
      PORT: '0',
      LOG_LEVEL: 'debug',
    });
    const scorer = await startScorer(config, { logger, healthHost: '127.0.0.1', onFatal: (error) => logger.fatal({ err: error }, 'fatal') });
    await waitFor('the scorer to be ready', () => scorer.readiness.ready);
    // What a startup failure logs (services/scorer main.ts) must be clean too: log the config the way an error would carry it.
    logger.error({ config }, 'configuration in an error context');
    await scorer.stop();
    expectNoSecrets(lines, [clickhousePassword]);
  });
});
