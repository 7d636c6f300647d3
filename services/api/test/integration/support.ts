/// <reference path="../../../../test/setup/provided-context.d.ts" />
/**
 * The api's integration harness: a database unique to this run and label, migrated and filled with fixture rows, and
 * an api started on port 0 against it. Values come from the root globalSetup through vitest's `inject`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseClient, createClickHouseClient, dropDatabase, migrate } from '@gtwatch/clickhouse';
import { createLogger, type Logger } from '@gtwatch/observability';
import { inject } from 'vitest';
import { loadApiConfig } from '../../src/config.js';
import { type ApiHandle, type ApiOptions, startApi } from '../../src/server.js';
import { hashToken } from '../../src/tokens.js';

export function testLogger(name: string): Logger {
  return createLogger({ service: name, level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

export function uniqueName(label: string): string {
  return `${inject('runId')}_api_${label}`.replace(/[^A-Za-z0-9_]/g, '_');
}

export function adminClient(): ClickHouseClient {
  return createClickHouseClient({ url: inject('clickhouseUrl'), user: inject('clickhouseUser'), password: inject('clickhousePassword') });
}

export type TestDatabase = Awaited<ReturnType<typeof testDatabase>>;

/** A fresh, migrated database; `drop` removes it and closes the client. */
export async function testDatabase(label: string) {
  const database = uniqueName(label);
  const client = adminClient();
  await migrate(client, database);
  return {
    database,
    client,
    async insert(table: string, values: readonly object[]) {
      if (values.length > 0) await client.insert({ table: `${database}.${table}`, format: 'JSONEachRow', values: [...values] });
    },
    async drop() {
      await dropDatabase(client, database).catch(() => {});
      await client.close();
    },
  };
}

export interface TestToken {
  token: string;
  line: Record<string, string>;
}

/** Writes an NDJSON token file holding the SHA-256 of each token; returns its path. */
export function writeTokensFile(tokens: readonly TestToken[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gtwatch-api-tokens-'));
  const file = join(dir, 'tokens.ndjson');
  const lines = tokens.map(({ token, line }) => JSON.stringify({ ...line, sha256: hashToken(token) }));
  writeFileSync(file, `# test tokens\n${lines.join('\n')}\n`);
  return file;
}

export async function startTestApi(
  database: string,
  tokensFile: string,
  options: ApiOptions & { env?: Record<string, string> } = {},
): Promise<ApiHandle> {
  const { env, ...apiOptions } = options;
  const config = loadApiConfig({
    CLICKHOUSE_URL: inject('clickhouseUrl'),
    CLICKHOUSE_USER: inject('clickhouseUser'),
    CLICKHOUSE_PASSWORD: inject('clickhousePassword'),
    CLICKHOUSE_DATABASE: database,
    GTWATCH_API_TOKENS_FILE: tokensFile,
    GTWATCH_API_PORT: '0',
    GTWATCH_API_HOST: '127.0.0.1',
    PORT: '0',
    ...env,
  });
  return startApi(config, { logger: testLogger('api'), health: false, ...apiOptions });
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary JSON answers and assert on their shape
export type Json = any;

export async function getJson(api: ApiHandle, path: string, token?: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${api.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text: a non-JSON answer is itself a failure the caller reports
  }
  return { status: response.status, body };
}
