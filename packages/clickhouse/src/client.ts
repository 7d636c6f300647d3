import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';

export type { ClickHouseClient } from '@clickhouse/client';

export interface ClickHouseOptions {
  url: string;
  user: string;
  password: string;
  /** Omit to talk to the server's default database, e.g. to create the project's database first. */
  database?: string;
  requestTimeoutMs?: number;
  /**
   * The client library's own console logging. Default 'OFF': every failed request already rejects its promise, and
   * the library would also print each one (including errors callers expect and handle, such as a migration's
   * tolerated "already exists" or a writer's retried insert) as a multi-line ERROR.
   */
  clientLogLevel?: 'OFF' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
}

/**
 * A client configured for both Debian's 18.16 and current servers: no ClickHouse settings a 2018 server does not
 * know (it rejects unknown settings with code 115), gzip responses, and JSONEachRow for inserts — the client's
 * default insert format (JSONCompactEachRow) only exists since 20.1. Callers must pass `format: 'JSONEachRow'`.
 */
export function createClickHouseClient(options: ClickHouseOptions): ClickHouseClient {
  return createClient({
    url: options.url,
    username: options.user,
    password: options.password,
    ...(options.database ? { database: options.database } : {}),
    request_timeout: options.requestTimeoutMs ?? 30_000,
    compression: { request: false, response: true },
    clickhouse_settings: {},
    log: { level: ClickHouseLogLevel[options.clientLogLevel ?? 'OFF'] },
  });
}
