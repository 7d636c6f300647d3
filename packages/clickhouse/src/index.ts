export { type ClickHouseClient, type ClickHouseOptions, createClickHouseClient } from './client.js';
export { createDatabase, dropDatabase, serverVersion } from './database.js';
export { CLICKHOUSE_ERRORS, clickHouseErrorCode } from './errors.js';
export { quoteIdentifier } from './identifiers.js';
