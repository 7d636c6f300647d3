import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';
import { configError, tempFiles } from './support.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n';

describe('Kafka security settings', () => {
  it('is PLAINTEXT without SASL or TLS when nothing is set', () => {
    expect(loadConfig({}).kafka.security).toEqual({ protocol: 'PLAINTEXT', sasl: null, tls: null });
  });

  it('reads SASL_SSL with SCRAM-SHA-512 by default, a CA and a server name', () => {
    const f = tempFiles('gtwatch-kafka-security-');
    const security = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_USERNAME: 'gtwatch-scorer',
      KAFKA_SASL_PASSWORD: 'pw-1',
      KAFKA_TLS_CA_FILE: f.write('ca.pem', PEM),
      KAFKA_TLS_SERVERNAME: 'kafka.internal',
    }).kafka.security;
    expect(security.protocol).toBe('SASL_SSL');
    expect(security.sasl?.mechanism).toBe('scram-sha-512');
    expect(security.sasl?.username).toBe('gtwatch-scorer');
    expect(security.sasl?.password).toBe('pw-1');
    expect(security.tls?.ca).toBe(PEM);
    expect(security.tls?.servername).toBe('kafka.internal');
    expect(security.tls?.cert).toBeNull();
  });

  it('reads the SASL password and a client key from files but never serialises them', () => {
    const f = tempFiles('gtwatch-kafka-security-');
    const config = loadConfig({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'scram-sha-256',
      KAFKA_SASL_USERNAME: 'reg-gb',
      KAFKA_SASL_PASSWORD_FILE: f.write('password', 'file-pw-77\n'),
      KAFKA_TLS_CERT_FILE: f.write('client.pem', PEM),
      KAFKA_TLS_KEY_FILE: f.write('client.key', KEY),
    });
    expect(config.kafka.security.sasl?.password).toBe('file-pw-77');
    expect(config.kafka.security.tls?.key).toBe(KEY);
    const serialised = JSON.stringify(config);
    expect(serialised).not.toContain('file-pw-77');
    expect(serialised).not.toContain('secret-key-material');
    expect(serialised).toContain('reg-gb');
  });

  it('requires a user and a password for SASL protocols, naming both variables', () => {
    const error = configError({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT' });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME']);
  });

  it('rejects unknown protocols and mechanisms without echoing the password', () => {
    const error = configError({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'gssapi',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'do-not-print-me',
    });
    expect(error.issues.map((issue) => issue.variable)).toEqual(['KAFKA_SASL_MECHANISM']);
    expect(error.message).toContain('scram-sha-512');
    expect(error.message).not.toContain('do-not-print-me');
    expect(configError({ KAFKA_SECURITY_PROTOCOL: 'TLS' }).issues[0]?.variable).toBe('KAFKA_SECURITY_PROTOCOL');
  });

  it('refuses settings the protocol would silently ignore', () => {
    const f = tempFiles('gtwatch-kafka-security-');
    const error = configError({
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'hunter2',
      KAFKA_TLS_CA_FILE: f.write('ca.pem', PEM),
    });
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_USERNAME', 'KAFKA_TLS_CA_FILE']);
    expect(error.message).not.toContain('hunter2');
    expect(configError({ KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_SASL_USERNAME: 'u' }).issues[0]?.message).toContain('does not use SASL');
  });

  it('names unreadable or non-PEM certificate files and a half client certificate', () => {
    const f = tempFiles('gtwatch-kafka-security-');
    const error = configError({
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_TLS_CA_FILE: join(f.dir, 'missing.pem'),
      KAFKA_TLS_CERT_FILE: f.write('not-pem.txt', 'hello'),
    });
    const byVariable = new Map(error.issues.map((issue) => [issue.variable, issue.message]));
    expect(byVariable.get('KAFKA_TLS_CA_FILE')).toContain('cannot read');
    expect(byVariable.get('KAFKA_TLS_CERT_FILE')).toContain('not a PEM file');
    expect(byVariable.get('KAFKA_TLS_KEY_FILE')).toContain('needs both');
  });

  it('rejects KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE together', () => {
    const f = tempFiles('gtwatch-kafka-security-');
    const error = configError({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'x',
      KAFKA_SASL_PASSWORD_FILE: f.write('p', 'y'),
    });
    expect(error.issues.map((issue) => issue.variable)).toContain('KAFKA_SASL_PASSWORD');
  });
});
