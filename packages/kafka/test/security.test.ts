import type { KafkaSecurity } from '@gtwatch/config';
import { describe, expect, it } from 'vitest';
import { isAuthenticationError, KafkaAuthenticationError, kafkajsSecurity } from '../src/index.js';

const PASSWORD = 'correct-horse-battery-staple';

function security(overrides: Partial<KafkaSecurity> = {}): KafkaSecurity {
  return {
    protocol: 'SASL_SSL',
    sasl: { mechanism: 'scram-sha-512', username: 'reg-gb', password: PASSWORD },
    tls: { ca: 'CA-PEM', cert: null, key: null, servername: 'kafka.internal' },
    ...overrides,
  };
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {} };

describe('kafkajsSecurity', () => {
  it('maps TLS settings to a verifying TLS connection', () => {
    expect(kafkajsSecurity(security()).ssl).toEqual({ rejectUnauthorized: true, ca: ['CA-PEM'], servername: 'kafka.internal' });
    expect(kafkajsSecurity(security({ tls: { ca: null, cert: 'C', key: 'K', servername: null } })).ssl).toEqual({
      rejectUnauthorized: true,
      cert: 'C',
      key: 'K',
    });
  });

  it('adds nothing for PLAINTEXT', () => {
    expect(kafkajsSecurity({ protocol: 'PLAINTEXT', sasl: null, tls: null })).toEqual({});
  });

  it('sends the configured mechanism in the SASL handshake', () => {
    expect(kafkajsSecurity(security()).sasl?.mechanism).toBe('scram-sha-512');
    const plain = kafkajsSecurity(security({ protocol: 'SASL_PLAINTEXT', tls: null, sasl: { mechanism: 'plain', username: 'u', password: 'p' } }));
    expect(plain.ssl).toBeUndefined();
    expect(plain.sasl?.mechanism).toBe('plain');
  });

  it('turns a refused login into a non-retriable error naming user, mechanism and broker, never the password', async () => {
    const provider = kafkajsSecurity(security()).sasl?.authenticationProvider;
    if (!provider) throw new Error('expected a SASL provider');
    const authenticator = provider({
      host: '127.0.0.1',
      port: 19192,
      logger: quietLogger as never,
      saslAuthenticate: async () => {
        throw new Error('Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
      },
    });
    const error = await authenticator.authenticate().then(
      () => {
        throw new Error('expected authentication to fail');
      },
      (failure: unknown) => failure as KafkaAuthenticationError,
    );
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect(isAuthenticationError(error)).toBe(true);
    expect(error.retriable).toBe(false);
    expect(error.message).toContain('"reg-gb"');
    expect(error.message).toContain('SCRAM-SHA-512');
    expect(error.message).toContain('127.0.0.1:19192');
    expect(`${error.message} ${String(error.cause)} ${JSON.stringify(error)}`).not.toContain(PASSWORD);
  });
});
