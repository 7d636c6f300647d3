import { createRequire } from 'node:module';
import type { ConnectionOptions } from 'node:tls';
import type { KafkaSasl, KafkaSecurity } from '@gtwatch/config';
import kafkajs, { type Authenticator, type AuthenticationProviderArgs, type KafkaJSError, type Mechanism } from 'kafkajs';

// Node's ESM view of kafkajs (CommonJS) only names a few exports; the error classes live on the default export.
const { KafkaJSSASLAuthenticationError } = kafkajs;

type ProviderFactory = (sasl: { mechanism: string; username: string; password: string }) => (args: AuthenticationProviderArgs) => Authenticator;

// kafkajs 2.2.4 (pinned) keeps its SASL providers in these modules. Wrapping them, rather than re-implementing SCRAM,
// is what lets a rejected login carry the user and mechanism without ever touching the password.
const BUILT_IN_PROVIDERS: Record<KafkaSasl['mechanism'], string> = {
  'scram-sha-512': 'kafkajs/src/broker/saslAuthenticator/scram512.js',
  'scram-sha-256': 'kafkajs/src/broker/saslAuthenticator/scram256.js',
  plain: 'kafkajs/src/broker/saslAuthenticator/plain.js',
};

const require = createRequire(import.meta.url);

// kafkajs' typings declare a zero-argument constructor; the implementation takes (message, { cause }).
const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string, options?: { cause?: unknown }) => KafkaJSError;

/**
 * A rejected login. It extends kafkajs' non-retriable SASL error, so kafkajs gives up at once instead of retrying
 * with the same bad credentials, and the consumer's crash handler treats it as fatal.
 */
export class KafkaAuthenticationError extends SaslError {
  override readonly name: string = 'KafkaAuthenticationError';
  readonly username: string;
  readonly mechanism: string;
  readonly broker: string;

  constructor(sasl: Pick<KafkaSasl, 'username' | 'mechanism'>, broker: string, cause: unknown) {
    const mechanism = sasl.mechanism.toUpperCase();
    super(
      `Kafka at ${broker} rejected the login of user "${sasl.username}" with ${mechanism}: wrong password, unknown user, ` +
        `or no ${mechanism} credential for this user (check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or ` +
        `KAFKA_SASL_PASSWORD_FILE, KAFKA_SASL_MECHANISM)`,
      // kafkajs' own message never contains the password; keep it for the broker's reason.
      { cause },
    );
    this.username = sasl.username;
    this.mechanism = mechanism;
    this.broker = broker;
  }
}

export function isAuthenticationError(error: unknown): boolean {
  return error instanceof KafkaJSSASLAuthenticationError || (error as { name?: unknown })?.name === 'KafkaJSSASLAuthenticationError';
}

function authenticationProvider(sasl: KafkaSasl): Mechanism['authenticationProvider'] {
  const factory = require(BUILT_IN_PROVIDERS[sasl.mechanism]) as ProviderFactory;
  const inner = factory({ mechanism: sasl.mechanism, username: sasl.username, password: sasl.password });
  return (args) => {
    const authenticator = inner(args);
    return {
      async authenticate() {
        try {
          return await authenticator.authenticate();
        } catch (error) {
          // kafkajs already classes these as non-retriable; only the message changes, so the operator sees who failed.
          if (!isAuthenticationError(error)) throw error;
          throw new KafkaAuthenticationError(sasl, `${args.host}:${args.port}`, error);
        }
      },
    };
  };
}

export interface KafkajsSecurityOptions {
  ssl?: ConnectionOptions | boolean;
  sasl?: Mechanism;
}

/** The kafkajs `ssl` / `sasl` options for the configured protocol. Certificate verification is always on. */
export function kafkajsSecurity(security: KafkaSecurity): KafkajsSecurityOptions {
  const options: KafkajsSecurityOptions = {};
  if (security.tls) {
    const { ca, cert, key, servername } = security.tls;
    options.ssl = {
      rejectUnauthorized: true,
      ...(ca ? { ca: [ca] } : {}),
      ...(cert && key ? { cert, key } : {}),
      ...(servername ? { servername } : {}),
    };
  }
  if (security.sasl) {
    options.sasl = { mechanism: security.sasl.mechanism, authenticationProvider: authenticationProvider(security.sasl) };
  }
  return options;
}
