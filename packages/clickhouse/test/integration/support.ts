/// <reference path="../../../../test/setup/provided-context.d.ts" />
import { afterAll, beforeAll, inject } from 'vitest';
import {
  type ClickHouseClient,
  type ClickHouseOptions,
  createClickHouseClient,
  dropDatabase,
  migrate,
} from '../../src/index.js';

/** A database name unique to this run and label, like test/support/services.ts's uniqueName. */
export function uniqueDatabase(label: string): string {
  return `${inject('runId')}_ch_${label}`.replace(/[^A-Za-z0-9_]/g, '_');
}

export function clickHouseOptions(database?: string): ClickHouseOptions {
  return {
    url: inject('clickhouseUrl'),
    user: inject('clickhouseUser'),
    password: inject('clickhousePassword'),
    ...(database ? { database } : {}),
  };
}

/** A client not bound to any database (what `migrate` needs), and a cleanup that drops the given databases. */
export function adminClient(): { client: ClickHouseClient; dropAll: (...databases: string[]) => Promise<void> } {
  const client = createClickHouseClient(clickHouseOptions());
  return {
    client,
    dropAll: async (...databases) => {
      for (const database of databases) await dropDatabase(client, database);
      await client.close();
    },
  };
}

export async function rows<T = Record<string, unknown>>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return (await result.json()) as T[];
}

/**
 * The calling test file's own database, migrated before its tests and dropped after them together with `alsoDrop`.
 * `client` is bound to it; it may be made before the database exists because it only connects on first use.
 */
export function useMigratedDatabase(label: string, ...alsoDrop: string[]) {
  const admin = adminClient();
  const database = uniqueDatabase(label);
  const client = createClickHouseClient(clickHouseOptions(database));
  beforeAll(async () => {
    await migrate(admin.client, database);
  });
  afterAll(async () => {
    await client.close();
    await admin.dropAll(database, ...alsoDrop);
  });
  return { admin, database, client };
}
