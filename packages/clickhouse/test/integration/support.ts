import { inject } from 'vitest';
import {
  type ClickHouseClient,
  type ClickHouseOptions,
  createClickHouseClient,
  dropDatabase,
} from '../../src/index.js';

// The keys test/setup/global-setup.ts provides (declared here too, so this package typechecks on its own).
declare module 'vitest' {
  export interface ProvidedContext {
    clickhouseUrl: string;
    clickhouseUser: string;
    clickhousePassword: string;
    runId: string;
  }
}

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
