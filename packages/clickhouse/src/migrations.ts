import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE_ERRORS, clickHouseErrorCode } from './errors.js';
import { quoteIdentifier } from './identifiers.js';
import {
  ALERTS_DDL,
  ALERTS_STATUS_WITHDRAWN_DDL,
  ENTITY_SCORES_DDL,
  SCHEMA_MIGRATIONS_DDL,
  TRAFFIC_HOUR_DDL,
  TRAFFIC_MINUTE_DDL,
} from './tables.js';

/**
 * Versioned, idempotent schema migrations.
 *
 * A migration is a version, a name and a list of statements, one statement per command (18.16 rejects
 * multi-statement bodies). `{db}` in a statement stands for the quoted database name, so the checksum — SHA-256 of
 * the statements as written — does not depend on the database a migration is applied to.
 *
 * `migrate` records each applied migration in `<db>.schema_migrations` (version, name, checksum, applied_at).
 * Re-running applies nothing. An applied migration whose statements changed since is an error: never edit an
 * applied migration, add a new one.
 *
 * Concurrency: ClickHouse has no transactions or locks, so two runners may both find a migration pending and both
 * run it. This race is accepted, because it is harmless: every statement is idempotent (`CREATE … IF NOT EXISTS`;
 * the "already exists" errors two racing CREATEs can still get are tolerated; an `ALTER … ADD COLUMN`, which has no
 * `IF NOT EXISTS` on 18.16, is written with `addColumn`, which tolerates "column already exists"), and both runners
 * then insert the same (version, checksum) row, which `schema_migrations` (a ReplacingMergeTree keyed by it)
 * collapses. What is not guarded: two runners of *different* builds whose migration N differs will both record their
 * checksum; the next run then reports the mismatch.
 */

export interface ToleratedError {
  code: number;
  /** The error message must also match, when given. */
  message?: RegExp;
}

export interface MigrationStatement {
  sql: string;
  /** Errors that mean "this statement's effect is already there", treated as success. */
  tolerate?: readonly ToleratedError[];
}

export interface Migration {
  version: number;
  /** snake_case, for people reading schema_migrations. */
  name: string;
  statements: ReadonlyArray<string | MigrationStatement>;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
}

export interface MigrateResult {
  database: string;
  /** Migrations this run applied, in order. */
  applied: AppliedMigration[];
  /** Versions that were already applied with the same checksum. */
  unchanged: number[];
  /** Versions recorded in the database that this build does not know (a newer build migrated it). */
  unknown: number[];
}

export interface MigrateOptions {
  /** Defaults to `MIGRATIONS`; tests pass their own. */
  migrations?: readonly Migration[];
  /** Called after each applied migration, e.g. to log it. */
  onApplied?: (migration: AppliedMigration) => void;
  /** Clock for `applied_at`, in ms. */
  now?: () => number;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export class MigrationChecksumError extends MigrationError {
  readonly mismatches: ReadonlyArray<{ version: number; name: string; recorded: string[]; expected: string }>;

  constructor(mismatches: MigrationChecksumError['mismatches']) {
    const lines = mismatches.map(
      (m) => `  migration ${m.version} (${m.name}): recorded ${m.recorded.join(', ')}, this build has ${m.expected}`,
    );
    super(
      `applied migrations were changed after they were applied (never edit an applied migration; add a new one):\n${lines.join('\n')}`,
    );
    this.name = 'MigrationChecksumError';
    this.mismatches = mismatches;
  }
}

const DB_TOKEN = '{db}';
const NAME = /^[a-z][a-z0-9_]{0,99}$/;
const CREATE_IF_NOT_EXISTS = /^\s*CREATE\s+(?:TABLE|DATABASE|VIEW|MATERIALIZED\s+VIEW)\s+IF\s+NOT\s+EXISTS\b/i;
// Two CREATE … IF NOT EXISTS racing on one server can both pass the existence check; the loser gets these.
const RACING_CREATE: readonly ToleratedError[] = [
  { code: CLICKHOUSE_ERRORS.TABLE_ALREADY_EXISTS },
  { code: 82 /* DATABASE_ALREADY_EXISTS */ },
];

/**
 * `ALTER TABLE {db}.<table> ADD COLUMN <definition>` that succeeds when the column already exists: 18.16 has no
 * `ADD COLUMN IF NOT EXISTS` and answers code 44 "column with this name already exists".
 */
export function addColumn(table: string, definition: string): MigrationStatement {
  return {
    sql: `ALTER TABLE ${DB_TOKEN}.${quoteIdentifier(table)} ADD COLUMN ${definition}`,
    tolerate: [{ code: 44, message: /already exists/ }],
  };
}

function statementOf(statement: string | MigrationStatement): MigrationStatement {
  return typeof statement === 'string' ? { sql: statement } : statement;
}

/** SHA-256 (hex) of a migration's statements as written (trimmed), independent of the target database. */
export function migrationChecksum(migration: Pick<Migration, 'statements'>): string {
  const texts = migration.statements.map((statement) => statementOf(statement).sql.trim());
  return createHash('sha256').update(JSON.stringify(texts)).digest('hex');
}

/** The statement as sent to the server for `database`. */
export function renderStatement(sql: string, database: string): string {
  return sql.trim().split(DB_TOKEN).join(quoteIdentifier(database));
}

/** Checks a migration list: increasing positive versions, snake_case names, one statement per entry. */
export function validateMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    const label = `migration ${migration.version} (${migration.name})`;
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new MigrationError(`${label}: versions must be positive integers in increasing order`);
    }
    if (!NAME.test(migration.name)) throw new MigrationError(`${label}: name must be snake_case`);
    if (migration.statements.length === 0) throw new MigrationError(`${label}: has no statements`);
    for (const statement of migration.statements) {
      const text = statementOf(statement).sql.trim().replace(/;$/, '');
      if (text === '') throw new MigrationError(`${label}: has an empty statement`);
      // 18.16 rejects multi-statement bodies; statements here hold no ';' in literals.
      if (text.includes(';')) throw new MigrationError(`${label}: one statement per entry (found ';')`);
    }
    previous = migration.version;
  }
}

/** The project's schema, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'create_traffic_minute', statements: [TRAFFIC_MINUTE_DDL] },
  { version: 2, name: 'create_entity_scores', statements: [ENTITY_SCORES_DDL] },
  { version: 3, name: 'create_alerts', statements: [ALERTS_DDL] },
  { version: 4, name: 'alerts_status_withdrawn', statements: [ALERTS_STATUS_WITHDRAWN_DDL] },
  { version: 5, name: 'create_traffic_hour', statements: [TRAFFIC_HOUR_DDL] },
];

interface RecordedRow {
  version: number;
  name: string;
  checksums: string[];
}

async function recorded(client: ClickHouseClient, database: string): Promise<RecordedRow[]> {
  const result = await client.query({
    query: `SELECT version, any(name) AS name, groupUniqArray(checksum) AS checksums
      FROM ${quoteIdentifier(database)}.schema_migrations GROUP BY version ORDER BY version`,
    format: 'JSONEachRow',
  });
  return (await result.json()) as RecordedRow[];
}

function tolerated(error: unknown, statement: MigrationStatement): boolean {
  const code = clickHouseErrorCode(error);
  if (code === null) return false;
  const message = error instanceof Error ? error.message : String(error);
  const rules = [...(statement.tolerate ?? []), ...(CREATE_IF_NOT_EXISTS.test(statement.sql) ? RACING_CREATE : [])];
  return rules.some((rule) => rule.code === code && (!rule.message || rule.message.test(message)));
}

async function run(client: ClickHouseClient, statement: MigrationStatement, database: string, label: string) {
  const query = renderStatement(statement.sql, database);
  try {
    await client.command({ query });
  } catch (error) {
    if (tolerated(error, statement)) return;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`${label} failed: ${reason}\n  statement: ${query.split('\n')[0]} …`, { cause: error });
  }
}

async function ensureDatabase(client: ClickHouseClient, database: string): Promise<void> {
  const statement = { sql: `CREATE DATABASE IF NOT EXISTS ${DB_TOKEN}` };
  try {
    await run(client, statement, database, `creating database ${database}`);
  } catch (error) {
    if (clickHouseErrorCode((error as MigrationError).cause) === CLICKHOUSE_ERRORS.UNKNOWN_DATABASE) {
      throw new MigrationError(
        `cannot create database ${database}: the client is bound to a database that does not exist; ` +
          'run migrate with a client created without `database`',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Creates `database` if missing and applies every pending migration in order, recording each. Safe to run again
 * and from several processes at once (see the module comment for the race it accepts). Throws
 * `MigrationChecksumError` before applying anything when an applied migration was edited.
 *
 * The client must not be bound to `database` unless it already exists: 18.16 refuses every request naming an
 * unknown database, even `CREATE DATABASE`.
 */
export async function migrate(
  client: ClickHouseClient,
  database: string,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? Date.now;
  validateMigrations(migrations);
  quoteIdentifier(database);

  // Read first: when every migration is already recorded, no DDL is sent at all, so a service can run this at
  // startup as a user without DDL rights (ClickHouse 18.16 refuses even `CREATE … IF NOT EXISTS` to such a user).
  let rows = await recorded(client, database).catch(() => null);
  if (rows === null || migrations.some((migration) => !rows?.some((row) => row.version === migration.version))) {
    await ensureDatabase(client, database);
    await run(client, { sql: SCHEMA_MIGRATIONS_DDL }, database, 'creating schema_migrations');
    rows = await recorded(client, database);
  }

  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  const done = new Set(rows.map((row) => row.version));
  const unknown = rows.filter((row) => !known.has(row.version)).map((row) => row.version);
  const unchanged: number[] = [];
  const mismatches: MigrationChecksumError['mismatches'][number][] = [];
  for (const row of rows) {
    const migration = known.get(row.version);
    if (!migration) continue;
    const expected = migrationChecksum(migration);
    const recordedChecksums = [...row.checksums].sort();
    if (recordedChecksums.length === 1 && recordedChecksums[0] === expected) unchanged.push(row.version);
    else mismatches.push({ version: row.version, name: migration.name, recorded: recordedChecksums, expected });
  }
  if (mismatches.length > 0) throw new MigrationChecksumError(mismatches);

  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    const label = `migration ${migration.version} (${migration.name})`;
    for (const [index, statement] of migration.statements.entries()) {
      await run(client, statementOf(statement), database, `${label}, statement ${index + 1}`);
    }
    const record: AppliedMigration = {
      version: migration.version,
      name: migration.name,
      checksum: migrationChecksum(migration),
    };
    await client.insert({
      table: `${quoteIdentifier(database)}.schema_migrations`,
      format: 'JSONEachRow',
      values: [{ ...record, applied_at: Math.floor(now() / 1000) }],
    });
    applied.push(record);
    options.onApplied?.(record);
  }
  return { database, applied, unchanged, unknown };
}

/** The migrations recorded in `database`, for `gtwatch migrate --status`-style reporting. */
export async function appliedMigrations(
  client: ClickHouseClient,
  database: string,
): Promise<Array<AppliedMigration & { appliedAt: Date }>> {
  const result = await client.query({
    query: `SELECT version, any(name) AS name, any(checksum) AS checksum, toUnixTimestamp(min(applied_at)) AS applied_at
      FROM ${quoteIdentifier(database)}.schema_migrations GROUP BY version ORDER BY version`,
    format: 'JSONEachRow',
  });
  const rows = (await result.json()) as Array<{ version: number; name: string; checksum: string; applied_at: number | string }>;
  return rows.map((row) => ({
    version: row.version,
    name: row.name,
    checksum: row.checksum,
    appliedAt: new Date(Number(row.applied_at) * 1000),
  }));
}
