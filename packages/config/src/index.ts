export type { ClickHouseConfig, GtwatchConfig, KafkaConfig, LogLevel } from './config.js';
export { loadConfig } from './config.js';
export { ConfigError, type ConfigIssue } from './errors.js';
export { DEFAULTS } from './schema.js';
export type { Env } from './secrets.js';
export { type TopicNames, topicNames } from './topics.js';
