/**
 * The secured servers are not part of the global setup: each security test file starts them with
 * deploy/local/secure/up.sh (idempotent; the plain broker started by the global setup has already cached the Kafka
 * jars) and stops them afterwards with down.sh.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Env, loadConfig } from '@gtwatch/config';
import { createKafkaClient, type Kafka } from '@gtwatch/kafka';
import type { Logger } from '@gtwatch/observability';
import { parseExports } from '../../setup/local-services.js';
import { testLogger } from '../../support/services.js';

const run = promisify(execFile);
const SECURE = resolve(import.meta.dirname, '../../../deploy/local/secure');

export type SecureService = 'kafka' | 'clickhouse';

export interface SecureKafka {
  brokers: string;
  caFile: string;
  secretsDir: string;
  /** The password deploy/local/secure generated for a SCRAM user. */
  password(user: string): string;
}

export async function secureUp(what: SecureService, env: NodeJS.ProcessEnv = {}): Promise<Record<string, string>> {
  try {
    const { stdout } = await run('bash', [join(SECURE, 'up.sh'), what], {
      env: { ...process.env, ...env },
      timeout: 600_000,
      maxBuffer: 1 << 24,
    });
    return parseExports(stdout);
  } catch (error) {
    const detail = error as { stderr?: string; message: string };
    throw new Error(`deploy/local/secure/up.sh ${what} failed: ${detail.message}\n${detail.stderr ?? ''}`);
  }
}

export async function secureDown(what: SecureService): Promise<void> {
  await run('bash', [join(SECURE, 'down.sh'), what], { timeout: 120_000 });
}

export async function startSecureKafka(): Promise<SecureKafka> {
  const env = await secureUp('kafka');
  const brokers = env.KAFKA_SECURE_BROKERS;
  const caFile = env.KAFKA_SECURE_CA_FILE;
  const secretsDir = env.KAFKA_SECURE_SECRETS_DIR;
  if (!brokers || !caFile || !secretsDir) throw new Error(`secure/up.sh printed no Kafka exports: ${JSON.stringify(env)}`);
  return {
    brokers,
    caFile,
    secretsDir,
    password: (user) => readFileSync(join(secretsDir, `${user}.password`), 'utf8').trim(),
  };
}

/** The environment a gtwatch process of `user` would run with against the secured broker. */
export function secureKafkaEnv(secure: SecureKafka, user: string, password = secure.password(user)): Env {
  return {
    KAFKA_BROKERS: secure.brokers,
    KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: user,
    KAFKA_SASL_PASSWORD: password,
    KAFKA_TLS_CA_FILE: secure.caFile,
  };
}

/** A client for `user`, configured the way services are: environment → packages/config → createKafkaClient. */
export function kafkaAs(secure: SecureKafka, user: string, options: { password?: string; logger?: Logger } = {}): Kafka {
  const config = loadConfig(secureKafkaEnv(secure, user, options.password));
  return createKafkaClient({
    brokers: config.kafka.brokers,
    clientId: `gtwatch-test-${user}`,
    logger: options.logger ?? testLogger(`kafka-${user}`),
    security: config.kafka.security,
    connectionTimeoutMs: 5_000,
  });
}

/** Resolves to the rejection of `promise`, failing the test if it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { type?: string; retriable?: boolean }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { type?: string };
  }
  throw new Error('expected the operation to be refused, but it succeeded');
}
