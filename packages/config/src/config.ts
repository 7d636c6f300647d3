import { hostname } from 'node:os';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';
import {
  brokersSchema,
  DEFAULTS,
  httpUrlSchema,
  identifierSchema,
  instanceSchema,
  logLevelSchema,
  portSchema,
  topicPrefixSchema,
} from './schema.js';
import { type KafkaSecurity, readKafkaSecurity } from './kafka-security.js';
import { type Env, readSecret } from './secrets.js';
import { type TopicNames, topicNames } from './topics.js';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** KAFKA_SECURITY_PROTOCOL and friends; PLAINTEXT (no SASL, no TLS) when unset. */
  security: KafkaSecurity;
}

export interface ClickHouseConfig {
  url: string;
  user: string;
  password: string;
  database: string;
}

export type LogLevel = z.infer<typeof logLevelSchema>;

export interface GtwatchConfig {
  kafka: KafkaConfig;
  clickhouse: ClickHouseConfig;
  topicPrefix: string;
  topics: TopicNames;
  /** Directory holding gt-ranges.csv, realms.csv and allowlist.csv; null when not configured. */
  referenceDir: string | null;
  /** Port of the /healthz /readyz /metrics server. */
  port: number;
  logLevel: LogLevel;
  /** Identifies this process in CloudEvents `source` and in logs. */
  instance: string;
}

// Keys are the variable names, so every zod issue's path names the variable an operator has to fix.
const envSchema = z.object({
  KAFKA_BROKERS: brokersSchema.default(DEFAULTS.kafkaBrokers.split(',')),
  KAFKA_CLIENT_ID: instanceSchema.default(DEFAULTS.kafkaClientId),
  CLICKHOUSE_URL: httpUrlSchema.default(DEFAULTS.clickhouseUrl),
  CLICKHOUSE_USER: instanceSchema.default(DEFAULTS.clickhouseUser),
  CLICKHOUSE_PASSWORD: z.string().default(DEFAULTS.clickhousePassword),
  CLICKHOUSE_DATABASE: identifierSchema.default(DEFAULTS.clickhouseDatabase),
  GTWATCH_TOPIC_PREFIX: topicPrefixSchema.default(DEFAULTS.topicPrefix),
  GTWATCH_REFERENCE_DIR: z.string().optional(),
  GTWATCH_INSTANCE: instanceSchema.optional(),
  PORT: portSchema.default(DEFAULTS.port),
  LOG_LEVEL: logLevelSchema.default(DEFAULTS.logLevel),
});

type EnvName = keyof typeof envSchema.shape;
const SECRET_NAMES: readonly EnvName[] = ['CLICKHOUSE_PASSWORD'];

/** Empty strings count as unset: `FOO=` in a compose file or `.env` means "use the default", not "use ''". */
function relevantEnv(env: Env, issues: ConfigIssue[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of Object.keys(envSchema.shape) as EnvName[]) {
    const value = SECRET_NAMES.includes(name) ? readSecret(env, name, issues) : env[name];
    if (value !== undefined && value.trim() !== '') picked[name] = value;
  }
  return picked;
}

function describe(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

/**
 * Reads the whole configuration from the environment once, at startup. Nothing else in the project reads
 * `process.env`: services receive this frozen object. Every bad variable is reported at once.
 */
export function loadConfig(env: Env = process.env): Readonly<GtwatchConfig> {
  const issues: ConfigIssue[] = [];
  const picked = relevantEnv(env, issues);
  const security = readKafkaSecurity(env, issues);
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const reasons = new Map<string, string[]>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      reasons.set(variable, [...(reasons.get(variable) ?? []), issue.message]);
    }
    for (const [variable, messages] of reasons) {
      // Never echo secrets back into logs.
      const shown = SECRET_NAMES.includes(variable as EnvName) ? '(hidden)' : describe(picked[variable]);
      issues.push({ variable, message: `${shown}: ${messages.join('; ')}` });
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);

  const e = parsed.data;
  return Object.freeze({
    kafka: Object.freeze({ brokers: e.KAFKA_BROKERS, clientId: e.KAFKA_CLIENT_ID, security }),
    clickhouse: Object.freeze({
      url: e.CLICKHOUSE_URL,
      user: e.CLICKHOUSE_USER,
      password: e.CLICKHOUSE_PASSWORD,
      database: e.CLICKHOUSE_DATABASE,
    }),
    topicPrefix: e.GTWATCH_TOPIC_PREFIX,
    topics: topicNames(e.GTWATCH_TOPIC_PREFIX),
    referenceDir: e.GTWATCH_REFERENCE_DIR?.trim() || null,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    instance: e.GTWATCH_INSTANCE ?? sanitizeInstance(hostname()),
  });
}

function sanitizeInstance(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'gtwatch';
}
