import { afterAll, describe, expect, it } from 'vitest';
import {
  addColumn,
  appliedMigrations,
  createClickHouseClient,
  MIGRATIONS,
  type Migration,
  MigrationChecksumError,
  MigrationError,
  migrate,
  migrationChecksum,
  serverVersion,
  TABLES,
} from '../../src/index.js';
import { adminClient, clickHouseOptions, rows, uniqueDatabase } from './support.js';

const admin = adminClient();
const databases: string[] = [];
function database(label: string): string {
  const name = uniqueDatabase(label);
  databases.push(name);
  return name;
}

afterAll(async () => {
  await admin.dropAll(...databases);
});

interface Column {
  table: string;
  name: string;
  type: string;
}

describe('migrate against the real server', () => {
  it('creates the database and every table, and a second run applies nothing', async () => {
    const db = database('migrate');
    process.stderr.write(`[clickhouse] server version ${await serverVersion(admin.client)}\n`);
    const first = await migrate(admin.client, db);
    expect(first.applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(first.unchanged).toEqual([]);

    const second = await migrate(admin.client, db);
    expect(second).toEqual({ database: db, applied: [], unchanged: MIGRATIONS.map((m) => m.version), unknown: [] });

    const recorded = await appliedMigrations(admin.client, db);
    expect(recorded.map(({ version, name, checksum }) => ({ version, name, checksum }))).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m) })),
    );
    for (const row of recorded) expect(Math.abs(row.appliedAt.getTime() - Date.now())).toBeLessThan(120_000);

    const tables = await rows<{ name: string; engine: string }>(
      admin.client,
      `SELECT name, engine FROM system.tables WHERE database = '${db}' ORDER BY name`,
    );
    expect(tables).toEqual(
      [
        { name: TABLES.alerts, engine: 'ReplacingMergeTree' },
        { name: TABLES.entityScores, engine: 'ReplacingMergeTree' },
        { name: TABLES.schemaMigrations, engine: 'ReplacingMergeTree' },
        { name: TABLES.trafficHour, engine: 'ReplacingMergeTree' },
        { name: TABLES.trafficMinute, engine: 'ReplacingMergeTree' },
      ],
    );
  });

  it('gives every column the intended type (Enum8, Nullable, Array, DateTime) on this server', async () => {
    const db = database('types');
    await migrate(admin.client, db);
    const columns = await rows<Column>(
      admin.client,
      `SELECT table, name, type FROM system.columns WHERE database = '${db}' AND table != 'schema_migrations' ORDER BY table, name`,
    );
    const typeOf = (table: string, name: string) => columns.find((c) => c.table === table && c.name === name)?.type;
    expect(typeOf('traffic_minute', 'minute')).toBe('DateTime');
    expect(typeOf('traffic_minute', 'entity_type')).toBe("Enum8('gt' = 1, 'realm' = 2)");
    expect(typeOf('traffic_minute', 'protocol')).toBe("Enum8('MAP' = 1, 'CAP' = 2, 'DIAMETER' = 3)");
    expect(typeOf('traffic_minute', 'version')).toBe('UInt64');
    expect(typeOf('entity_scores', 'severity')).toBe("Enum8('low' = 1, 'medium' = 2, 'high' = 3, 'critical' = 4)");
    expect(typeOf('alerts', 'category')).toBe('Nullable(UInt8)');
    expect(typeOf('alerts', 'victim_plmns')).toBe('Array(String)');
    expect(typeOf('alerts', 'tlp')).toBe("Enum8('clear' = 1, 'green' = 2, 'amber' = 3, 'amber+strict' = 4, 'red' = 5)");
    expect(typeOf('alerts', 'event_time')).toBe('DateTime');
    expect(columns.filter((c) => c.table === 'traffic_minute')).toHaveLength(17);
    expect(columns.filter((c) => c.table === 'entity_scores')).toHaveLength(16);
    expect(columns.filter((c) => c.table === 'alerts')).toHaveLength(32);
    expect(typeOf('traffic_hour', 'hour')).toBe('DateTime');
    expect(typeOf('traffic_hour', 'last_minute')).toBe('DateTime');
    expect(typeOf('traffic_hour', 'protocol')).toBe("Enum8('MAP' = 1, 'CAP' = 2, 'DIAMETER' = 3)");
    expect(typeOf('traffic_hour', 'operation')).toBeUndefined();
    expect(columns.filter((c) => c.table === 'traffic_hour')).toHaveLength(16);
    const keys = await rows<{ name: string; sorting_key: string; partition_key: string; engine_full: string }>(
      admin.client,
      `SELECT name, sorting_key, partition_key, engine_full FROM system.tables WHERE database = '${db}' ORDER BY name`,
    );
    expect(keys.map(({ name, sorting_key, partition_key }) => ({ name, sorting_key, partition_key }))).toEqual([
      { name: 'alerts', sorting_key: 'alert_id, event_id', partition_key: 'toYYYYMM(event_time)' },
      { name: 'entity_scores', sorting_key: 'entity, minute, pattern', partition_key: 'toYYYYMMDD(minute)' },
      { name: 'schema_migrations', sorting_key: 'version, checksum', partition_key: '' },
      {
        name: 'traffic_hour',
        sorting_key: 'entity, hour, reporter, protocol, source_country, source_plmn, source_operator, leased, entity_type',
        partition_key: 'toYYYYMM(hour)',
      },
      {
        name: 'traffic_minute',
        sorting_key: 'entity, minute, reporter, protocol, operation',
        partition_key: 'toYYYYMMDD(minute)',
      },
    ]);
    for (const key of keys) expect(key.engine_full).toMatch(/index_granularity = 8192/);
  });

  it('survives concurrent runners: every one succeeds and each migration is recorded once after FINAL', async () => {
    const db = database('race');
    const runners = Array.from({ length: 4 }, () => createClickHouseClient(clickHouseOptions()));
    try {
      const results = await Promise.all(runners.map((client) => migrate(client, db)));
      const appliedByAnyone = new Set(results.flatMap((r) => r.applied.map((m) => m.version)));
      expect([...appliedByAnyone].sort()).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(runners.map((client) => client.close()));
    }
    const final = await rows<{ version: number; n: string }>(
      admin.client,
      `SELECT version, count() AS n FROM ${db}.schema_migrations FINAL GROUP BY version ORDER BY version`,
    );
    expect(final).toEqual(MIGRATIONS.map((m) => ({ version: m.version, n: '1' })));
    expect((await migrate(admin.client, db)).applied).toEqual([]);
  });

  it('refuses to continue when an applied migration was edited', async () => {
    const db = database('checksum');
    const v1: Migration = {
      version: 1,
      name: 'notes',
      statements: ['CREATE TABLE IF NOT EXISTS {db}.notes (id UInt32, note String) ENGINE = ReplacingMergeTree() ORDER BY id'],
    };
    await migrate(admin.client, db, { migrations: [v1] });
    const edited: Migration = { ...v1, statements: [`${v1.statements[0] as string} SETTINGS index_granularity = 8192`] };
    const v2: Migration = { version: 2, name: 'more', statements: ['CREATE TABLE IF NOT EXISTS {db}.more (id UInt32) ENGINE = MergeTree ORDER BY id'] };
    const error = await migrate(admin.client, db, { migrations: [edited, v2] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect((error as Error).message).toMatch(/migration 1 \(notes\)/);
    const tables = await rows<{ name: string }>(admin.client, `SELECT name FROM system.tables WHERE database = '${db}' ORDER BY name`);
    expect(tables.map((t) => t.name)).toEqual(['notes', 'schema_migrations']);
  });

  it('re-runs an ADD COLUMN whose effect is already there, and records a failing migration not at all', async () => {
    const db = database('alter');
    const create: Migration = {
      version: 1,
      name: 'create',
      statements: ['CREATE TABLE IF NOT EXISTS {db}.t (id UInt32, extra String) ENGINE = MergeTree ORDER BY id'],
    };
    // As if a previous run added the column and died before recording migration 2.
    const add: Migration = { version: 2, name: 'add_extra', statements: [addColumn('t', 'extra String')] };
    const result = await migrate(admin.client, db, { migrations: [create, add] });
    expect(result.applied.map((m) => m.version)).toEqual([1, 2]);

    const broken: Migration = { version: 3, name: 'broken', statements: [addColumn('t', 'ok UInt8'), 'SELECT nonsense('] };
    const error = await migrate(admin.client, db, { migrations: [create, add, broken] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/migration 3 \(broken\), statement 2 failed: Code: 62/);
    const fixed: Migration = { ...broken, statements: [addColumn('t', 'ok UInt8')] };
    // The first statement already ran; replaying it is tolerated.
    expect((await migrate(admin.client, db, { migrations: [create, add, fixed] })).applied.map((m) => m.version)).toEqual([3]);
    const columns = await rows<{ name: string }>(admin.client, `SELECT name FROM system.columns WHERE database = '${db}' AND table = 't'`);
    expect(columns.map((c) => c.name)).toEqual(['id', 'extra', 'ok']);
  });

  it('explains that a client bound to the missing database cannot create it', async () => {
    const db = database('bound');
    const bound = createClickHouseClient(clickHouseOptions(db));
    try {
      await expect(migrate(bound, db)).rejects.toThrow(/client created without `database`/);
    } finally {
      await bound.close();
    }
  });
});
