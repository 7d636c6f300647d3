export type { ClickHouseConfig, GtwatchConfig, KafkaConfig, LogLevel } from './config.js';
export { loadConfig } from './config.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export {
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_PROTOCOLS,
  KAFKA_SECURITY_VARIABLES,
  type KafkaSasl,
  type KafkaSaslMechanism,
  type KafkaSecurity,
  type KafkaSecurityProtocol,
  type KafkaTls,
  PLAINTEXT_SECURITY,
  readKafkaSecurity,
} from './kafka-security.js';
export { DEFAULTS } from './schema.js';
export type { Env } from './secrets.js';
export { type TopicNames, topicNames } from './topics.js';
export { type AccessFile, accessFileSchema, DEFAULT_JURISDICTIONS, parseAccessFile } from './access.js';
