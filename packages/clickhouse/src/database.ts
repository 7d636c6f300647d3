import type { ClickHouseClient } from '@clickhouse/client';
import { quoteIdentifier } from './identifiers.js';

export async function createDatabase(client: ClickHouseClient, database: string): Promise<void> {
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}` });
}

export async function dropDatabase(client: ClickHouseClient, database: string): Promise<void> {
  await client.command({ query: `DROP DATABASE IF EXISTS ${quoteIdentifier(database)}` });
}

/** The server's version string, e.g. `18.16.1`, used to gate features that only newer servers have. */
export async function serverVersion(client: ClickHouseClient): Promise<string> {
  const result = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
  const rows = (await result.json()) as Array<{ version: string }>;
  const version = rows[0]?.version;
  if (!version) throw new Error('ClickHouse did not report a version');
  return version;
}
