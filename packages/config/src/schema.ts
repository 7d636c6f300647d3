import { z } from 'zod';

/** Every default of the project lives here, next to the variable that overrides it. */
export const DEFAULTS = {
  kafkaBrokers: '127.0.0.1:9092',
  kafkaClientId: 'gtwatch',
  clickhouseUrl: 'http://127.0.0.1:8123',
  clickhouseUser: 'default',
  clickhousePassword: '',
  clickhouseDatabase: 'gtwatch',
  topicPrefix: 'gtwatch',
  port: 9464,
  logLevel: 'info',
} as const;

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port')
  .refine((value) => {
    const port = Number(value.slice(value.lastIndexOf(':') + 1));
    return port >= 1 && port <= 65535;
  }, 'port must be 1–65535');

export const brokersSchema = z
  .string()
  .trim()
  .min(1, 'must list at least one broker')
  .transform((value) => value.split(',').map((broker) => broker.trim()))
  .pipe(z.array(hostPort).min(1));

// ClickHouse identifiers are interpolated into DDL, so only plain identifiers are accepted.
export const identifierSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a plain identifier: letters, digits, underscore');

// Kafka topic names allow [a-zA-Z0-9._-]; the prefix is joined with '.' to build every topic name.
export const topicPrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be dot-separated words of [A-Za-z0-9_-]')
  .max(180, 'must be at most 180 characters so derived topic names stay under Kafka’s 249');

export const httpUrlSchema = z
  .string()
  .url('must be an http(s) URL')
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://');

export const portSchema = z.coerce
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(0, 'must be 0–65535 (0 picks a free port)')
  .max(65535, 'must be 0–65535 (0 picks a free port)');

export const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const instanceSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 chars of [A-Za-z0-9._-]');
