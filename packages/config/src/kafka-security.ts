import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ConfigIssue } from './errors.js';
import { type Env, readSecret } from './secrets.js';

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SASL_PLAINTEXT', 'SSL', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

/** kafkajs' own spelling of the mechanisms, so the value passes straight through to its `sasl.mechanism`. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaSasl {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  /** Not enumerable: a config object that reaches a log line or JSON.stringify never carries it. */
  readonly password: string;
}

export interface KafkaTls {
  /** PEM of the CA(s) that signed the brokers' certificates; null trusts Node's default CAs. */
  readonly ca: string | null;
  /** Client certificate (PEM) for brokers that require mutual TLS; null when none. */
  readonly cert: string | null;
  /** Client private key (PEM); not enumerable, like the SASL password. */
  readonly key: string | null;
  /** Name checked against the broker certificate when it differs from the bootstrap host. */
  readonly servername: string | null;
}

export interface KafkaSecurity {
  readonly protocol: KafkaSecurityProtocol;
  readonly sasl: KafkaSasl | null;
  readonly tls: KafkaTls | null;
}

export const PLAINTEXT_SECURITY: KafkaSecurity = Object.freeze({ protocol: 'PLAINTEXT', sasl: null, tls: null });

const protocolSchema = z.enum(KAFKA_SECURITY_PROTOCOLS, { error: `must be one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')}` });
const mechanismSchema = z.enum(KAFKA_SASL_MECHANISMS, { error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` });
// Kafka principals are free text, but a name with spaces or control characters is a copy-paste accident.
const usernameSchema = z.string().regex(/^[A-Za-z0-9._@=-]{1,128}$/, 'must be 1–128 chars of [A-Za-z0-9._@=-]');
const servernameSchema = z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name');

const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const;
const TLS_VARIABLES = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE', 'KAFKA_TLS_SERVERNAME'] as const;

/** Every variable this module reads, for documentation and for deployment checks. */
export const KAFKA_SECURITY_VARIABLES = [
  'KAFKA_SECURITY_PROTOCOL',
  ...SASL_VARIABLES,
  'KAFKA_SASL_PASSWORD_FILE',
  ...TLS_VARIABLES,
] as const;

function set(env: Env, name: string): string | undefined {
  const value = env[name];
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function parse<T>(schema: z.ZodType<T>, env: Env, name: string, issues: ConfigIssue[], shown = true): T | undefined {
  const value = set(env, name);
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues.map((issue) => issue.message).join('; ');
  issues.push({ variable: name, message: `${shown ? JSON.stringify(value) : '(hidden)'}: ${message}` });
  return undefined;
}

/** Reads a PEM file named by `name`; the contents are never echoed, only the path and what is wrong with it. */
function readPem(env: Env, name: string, issues: ConfigIssue[]): string | null {
  const path = set(env, name);
  if (path === undefined) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    issues.push({ variable: name, message: `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}` });
    return null;
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    issues.push({ variable: name, message: `${path} is not a PEM file (no -----BEGIN …----- line)` });
    return null;
  }
  return text;
}

function hidden<T extends object, K extends string>(target: T, key: K, value: string | null): T & Record<K, string | null> {
  return Object.defineProperty(target, key, { value, enumerable: false }) as T & Record<K, string | null>;
}

/**
 * KAFKA_SECURITY_PROTOCOL and its companions → the client's security settings. Settings that the chosen protocol
 * would silently ignore are errors: a CA file next to PLAINTEXT means the operator believes traffic is encrypted.
 * Certificate verification cannot be switched off.
 */
export function readKafkaSecurity(env: Env, issues: ConfigIssue[]): KafkaSecurity {
  const protocol = parse(protocolSchema, env, 'KAFKA_SECURITY_PROTOCOL', issues) ?? 'PLAINTEXT';
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const password = readSecret(env, 'KAFKA_SASL_PASSWORD', issues);
  const before = issues.length;

  if (!usesSasl) {
    const stray = [...SASL_VARIABLES.filter((name) => set(env, name) !== undefined), ...(set(env, 'KAFKA_SASL_PASSWORD_FILE') ? ['KAFKA_SASL_PASSWORD_FILE'] : [])];
    for (const name of new Set(stray)) {
      issues.push({ variable: name, message: `is set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use SASL (use SASL_SSL)` });
    }
  }
  if (!usesTls) {
    for (const name of TLS_VARIABLES.filter((variable) => set(env, variable) !== undefined)) {
      issues.push({ variable: name, message: `is set, but KAFKA_SECURITY_PROTOCOL=${protocol} does not use TLS (use SSL or SASL_SSL)` });
    }
  }
  if (issues.length > before) return PLAINTEXT_SECURITY;

  let sasl: KafkaSasl | null = null;
  if (usesSasl) {
    const mechanism = parse(mechanismSchema, env, 'KAFKA_SASL_MECHANISM', issues) ?? 'scram-sha-512';
    const username = parse(usernameSchema, env, 'KAFKA_SASL_USERNAME', issues);
    if (set(env, 'KAFKA_SASL_USERNAME') === undefined) {
      issues.push({ variable: 'KAFKA_SASL_USERNAME', message: `(unset): required with KAFKA_SECURITY_PROTOCOL=${protocol}` });
    }
    if (password === undefined || password === '') {
      issues.push({
        variable: 'KAFKA_SASL_PASSWORD',
        message: `(unset): required with KAFKA_SECURITY_PROTOCOL=${protocol} (or KAFKA_SASL_PASSWORD_FILE)`,
      });
    }
    if (username !== undefined && password) sasl = Object.freeze(hidden({ mechanism, username }, 'password', password)) as KafkaSasl;
  }

  let tls: KafkaTls | null = null;
  if (usesTls) {
    const ca = readPem(env, 'KAFKA_TLS_CA_FILE', issues);
    const cert = readPem(env, 'KAFKA_TLS_CERT_FILE', issues);
    const key = readPem(env, 'KAFKA_TLS_KEY_FILE', issues);
    if ((set(env, 'KAFKA_TLS_CERT_FILE') === undefined) !== (set(env, 'KAFKA_TLS_KEY_FILE') === undefined)) {
      const missing = set(env, 'KAFKA_TLS_CERT_FILE') === undefined ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE';
      issues.push({ variable: missing, message: '(unset): a client certificate needs both KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE' });
    }
    const servername = parse(servernameSchema, env, 'KAFKA_TLS_SERVERNAME', issues) ?? null;
    tls = Object.freeze(hidden({ ca, cert, servername }, 'key', key)) as KafkaTls;
  }

  return Object.freeze({ protocol, sasl, tls });
}
