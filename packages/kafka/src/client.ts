import type { KafkaSecurity } from '@gtwatch/config';
import { Kafka, logLevel as KafkaLogLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkajsSecurity } from './security.js';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  /** How long to wait for a TCP connection to a broker; short in tests so a missing broker fails fast. */
  connectionTimeoutMs?: number;
  /** `config.kafka.security`: SASL and TLS settings; plain TCP without it. */
  security?: KafkaSecurity;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

/**
 * kafkajs' Connection logs every protocol error response at ERROR ("Response Heartbeat(key: 12, version: 3)" for
 * REBALANCE_IN_PROGRESS during an ordinary rebalance, "Response Metadata" for a topic that does not exist yet), even
 * though its callers retry or handle them. Real failures reach the service as rejected calls or `consumer.crash`, so
 * these are warnings here and an ERROR from kafkajs still means something.
 */
export function levelOf(namespace: string, level: number, message: string): 'error' | 'warn' | 'info' | 'debug' {
  const mapped = LEVELS[level] ?? 'info';
  if (mapped === 'error' && namespace === 'Connection' && message.startsWith('Response ')) return 'warn';
  return mapped;
}

/** Routes kafkajs' own logging into pino so client errors carry the service's fields and redaction. */
function pinoLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...extra } = log;
      child[levelOf(namespace, level, message)]({ namespace, ...extra }, message);
    };
}

function kafkajsLevel(logger: Logger): KafkaLogLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
      return KafkaLogLevel.DEBUG;
    case 'info':
      return KafkaLogLevel.INFO;
    case 'warn':
      return KafkaLogLevel.WARN;
    case 'silent':
      return KafkaLogLevel.NOTHING;
    default:
      return KafkaLogLevel.ERROR;
  }
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    logLevel: kafkajsLevel(options.logger),
    logCreator: pinoLogCreator(options.logger),
    ...(options.security ? kafkajsSecurity(options.security) : {}),
  });
}
