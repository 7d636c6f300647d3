export {
  type BatchFailure,
  BatchWriteError,
  BatchWriter,
  type BatchWriterMetrics,
  type BatchWriterOptions,
  backoffDelay,
  DEFAULT_RETRY,
  type FlushAck,
  type InsertRows,
  isRetryableInsertError,
  type RetryPolicy,
  tableInserter,
} from './batch-writer.js';
export { type ClickHouseClient, type ClickHouseOptions, createClickHouseClient } from './client.js';
export { createDatabase, dropDatabase, serverVersion } from './database.js';
export { CLICKHOUSE_ERRORS, clickHouseErrorCode } from './errors.js';
export { quoteIdentifier } from './identifiers.js';
export {
  type AppliedMigration,
  addColumn,
  appliedMigrations,
  MIGRATIONS,
  type MigrateOptions,
  type MigrateResult,
  type Migration,
  MigrationChecksumError,
  MigrationError,
  type MigrationStatement,
  migrate,
  migrationChecksum,
  renderStatement,
  type ToleratedError,
  validateMigrations,
} from './migrations.js';
export {
  ALERT_STATE_COLUMNS,
  type LatestAlert,
  type LatestAlertColumns,
  LatestAlertColumnsSchema,
  LatestAlertRowSchema,
  type LatestAlertsFilter,
  latestAlerts,
  latestAlertsQuery,
  queryRows,
} from './queries.js';
export {
  HOUR_SECONDS,
  hourOf,
  hoursOf,
  latestHourSnapshot,
  type RollupOutcome,
  rolledUpHoursQuery,
  rollupHourQuery,
  rollupHours,
  rollupVersion,
} from './rollup.js';
export {
  type AlertRow,
  AlertRowSchema,
  alertSequence,
  ENTITY_TYPES,
  type EntityScoreRow,
  EntityScoreRowSchema,
  type EntityType,
  EpochSecondsSchema,
  type ToAlertRowOptions,
  type TrafficMinuteRow,
  TrafficMinuteRowSchema,
  toAlertRow,
} from './rows.js';
export {
  dateTime,
  identifier,
  join,
  list,
  literal,
  render,
  Sql,
  type SqlScalar,
  type SqlValue,
  SqlValueError,
  sql,
  stringLiteral,
} from './sql.js';
export {
  ALERTS_DDL,
  ENTITY_SCORES_DDL,
  SCHEMA_MIGRATIONS_DDL,
  TABLES,
  type TableName,
  TRAFFIC_HOUR_DDL,
  TRAFFIC_MINUTE_DDL,
} from './tables.js';
