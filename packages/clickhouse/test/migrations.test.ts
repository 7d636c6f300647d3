import { describe, expect, it } from 'vitest';
import {
  ALERTS_DDL,
  addColumn,
  type ClickHouseClient,
  ENTITY_SCORES_DDL,
  MIGRATIONS,
  type Migration,
  MigrationChecksumError,
  MigrationError,
  migrate,
  migrationChecksum,
  renderStatement,
  SCHEMA_MIGRATIONS_DDL,
  TRAFFIC_MINUTE_DDL,
  validateMigrations,
} from '../src/index.js';

interface Recorded {
  version: number;
  name: string;
  checksum: string;
  applied_at: number;
}

/** Just enough of a client to exercise migrate's bookkeeping; the real server is in test/integration. */
function fakeClient(options: { fail?: (query: string) => Error | undefined } = {}) {
  const commands: string[] = [];
  const records: Recorded[] = [];
  const client = {
    command: async ({ query }: { query: string }) => {
      const error = options.fail?.(query);
      if (error) throw error;
      commands.push(query);
      return {};
    },
    query: async () => ({
      json: async () => {
        const byVersion = new Map<number, { version: number; name: string; checksums: string[] }>();
        for (const record of records) {
          const row = byVersion.get(record.version) ?? { version: record.version, name: record.name, checksums: [] };
          if (!row.checksums.includes(record.checksum)) row.checksums.push(record.checksum);
          byVersion.set(record.version, row);
        }
        return [...byVersion.values()].sort((a, b) => a.version - b.version);
      },
    }),
    insert: async ({ values }: { values: Recorded[] }) => {
      records.push(...values);
      return {};
    },
  } as unknown as ClickHouseClient;
  return { client, commands, records };
}

const testMigrations: Migration[] = [
  { version: 1, name: 'one', statements: ['CREATE TABLE IF NOT EXISTS {db}.a (x UInt8) ENGINE = MergeTree ORDER BY x'] },
  { version: 2, name: 'two', statements: ['CREATE TABLE IF NOT EXISTS {db}.b (x UInt8) ENGINE = MergeTree ORDER BY x', addColumn('b', 'y UInt8')] },
];

describe('migration checksums', () => {
  it('depend on the statements only, not on the database or the name', () => {
    const [one] = testMigrations;
    expect(migrationChecksum(one!)).toMatch(/^[0-9a-f]{64}$/);
    const renamed: Migration = { ...one!, name: 'renamed', version: 9 };
    expect(migrationChecksum(renamed)).toBe(migrationChecksum(one!));
    expect(migrationChecksum({ statements: ['  SELECT 1\n'] })).toBe(migrationChecksum({ statements: ['SELECT 1'] }));
    expect(migrationChecksum({ statements: ['SELECT 2'] })).not.toBe(migrationChecksum({ statements: ['SELECT 1'] }));
    expect(migrationChecksum({ statements: ['SELECT 1', 'SELECT 2'] })).not.toBe(
      migrationChecksum({ statements: ['SELECT 1\nSELECT 2'] }),
    );
  });

  it('are pinned for the shipped migrations (editing an applied migration is an error)', () => {
    // If this fails you edited a shipped migration: revert it and add a new migration instead.
    expect(MIGRATIONS.map((m) => [m.version, m.name, migrationChecksum(m).slice(0, 12)])).toMatchInlineSnapshot(`
      [
        [
          1,
          "create_traffic_minute",
          "d83deaaa5cb7",
        ],
        [
          2,
          "create_entity_scores",
          "1bb431331ee8",
        ],
        [
          3,
          "create_alerts",
          "c73aec0f7deb",
        ],
        [
          4,
          "alerts_status_withdrawn",
          "d0a05b2066c8",
        ],
        [
          5,
          "create_traffic_hour",
          "f0a3435da2dd",
        ],
      ]
    `);
  });
});

describe('validateMigrations', () => {
  it('accepts the shipped list', () => {
    expect(() => validateMigrations(MIGRATIONS)).not.toThrow();
  });

  it('refuses unordered or duplicate versions, bad names, empty and multi-statement entries', () => {
    const ok = testMigrations[0]!;
    expect(() => validateMigrations([{ ...ok, version: 2 }, { ...ok, version: 1 }])).toThrow(/increasing/);
    expect(() => validateMigrations([ok, ok])).toThrow(/increasing/);
    expect(() => validateMigrations([{ ...ok, version: 0 }])).toThrow(/positive/);
    expect(() => validateMigrations([{ ...ok, name: 'Bad Name' }])).toThrow(/snake_case/);
    expect(() => validateMigrations([{ ...ok, statements: [] }])).toThrow(/no statements/);
    expect(() => validateMigrations([{ ...ok, statements: ['  '] }])).toThrow(/empty/);
    expect(() => validateMigrations([{ ...ok, statements: ['SELECT 1; SELECT 2'] }])).toThrow(/one statement/);
    expect(() => validateMigrations([{ ...ok, statements: ['SELECT 1;'] }])).not.toThrow();
  });
});

describe('portable DDL', () => {
  const ddl = [SCHEMA_MIGRATIONS_DDL, TRAFFIC_MINUTE_DDL, ENTITY_SCORES_DDL, ALERTS_DDL];

  it('uses nothing ClickHouse 18.16 rejects', () => {
    for (const statement of ddl) {
      expect(statement).not.toMatch(/\bTTL\b|CODEC|DateTime64|LowCardinality|\bMap\(|SimpleAggregateFunction|IPv[46]|ADD COLUMN IF NOT EXISTS/i);
      expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS \{db\}\.\w+/);
      expect(statement).toMatch(/SETTINGS index_granularity = 8192$/);
    }
    for (const statement of ddl.slice(1)) expect(statement).toMatch(/ENGINE = ReplacingMergeTree\(version\)/);
  });

  it('renders {db} as a quoted identifier and refuses unsafe names', () => {
    expect(renderStatement('CREATE TABLE IF NOT EXISTS {db}.t (x UInt8)', 'gtwatch')).toBe(
      'CREATE TABLE IF NOT EXISTS `gtwatch`.t (x UInt8)',
    );
    expect(() => renderStatement('{db}', 'x`; DROP')).toThrow(/unsafe/);
    expect(addColumn('alerts', 'note String').sql).toBe('ALTER TABLE {db}.`alerts` ADD COLUMN note String');
  });
});

describe('migrate bookkeeping', () => {
  it('applies pending migrations in order, records them, and applies nothing the second time', async () => {
    const fake = fakeClient();
    const first = await migrate(fake.client, 'gt', { migrations: testMigrations, now: () => 1_796_033_700_000 });
    expect(first.applied.map((m) => m.version)).toEqual([1, 2]);
    expect(fake.commands[0]).toBe('CREATE DATABASE IF NOT EXISTS `gt`');
    expect(fake.commands[1]).toContain('CREATE TABLE IF NOT EXISTS `gt`.schema_migrations');
    expect(fake.commands.slice(2)).toEqual([
      'CREATE TABLE IF NOT EXISTS `gt`.a (x UInt8) ENGINE = MergeTree ORDER BY x',
      'CREATE TABLE IF NOT EXISTS `gt`.b (x UInt8) ENGINE = MergeTree ORDER BY x',
      'ALTER TABLE `gt`.`b` ADD COLUMN y UInt8',
    ]);
    expect(fake.records).toEqual(
      testMigrations.map((m) => ({ version: m.version, name: m.name, checksum: migrationChecksum(m), applied_at: 1_796_033_700 })),
    );
    const commandsBefore = fake.commands.length;
    const second = await migrate(fake.client, 'gt', { migrations: testMigrations });
    expect(second).toEqual({ database: 'gt', applied: [], unchanged: [1, 2], unknown: [] });
    expect(fake.commands.length - commandsBefore).toBe(0); // everything recorded: no DDL at all
  });

  it('applies only the new migration when the list grows, and reports versions it does not know', async () => {
    const fake = fakeClient();
    await migrate(fake.client, 'gt', { migrations: testMigrations.slice(0, 1) });
    const grown = await migrate(fake.client, 'gt', { migrations: testMigrations });
    expect(grown.applied.map((m) => m.version)).toEqual([2]);
    const older = await migrate(fake.client, 'gt', { migrations: testMigrations.slice(0, 1) });
    expect(older).toMatchObject({ applied: [], unchanged: [1], unknown: [2] });
  });

  it('fails before applying anything when an applied migration changed', async () => {
    const fake = fakeClient();
    await migrate(fake.client, 'gt', { migrations: testMigrations.slice(0, 1) });
    const edited: Migration[] = [
      { ...testMigrations[0]!, statements: ['CREATE TABLE IF NOT EXISTS {db}.a (x UInt16) ENGINE = MergeTree ORDER BY x'] },
      testMigrations[1]!,
    ];
    const before = fake.commands.length;
    const error = await migrate(fake.client, 'gt', { migrations: edited }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationChecksumError);
    expect((error as Error).message).toMatch(/migration 1 \(one\): recorded [0-9a-f]{64}, this build has [0-9a-f]{64}/);
    expect((error as MigrationChecksumError).mismatches).toHaveLength(1);
    expect(fake.commands.slice(before).some((q) => q.includes('.b '))).toBe(false);
    expect(fake.records).toHaveLength(1);
  });

  it('tolerates "already exists" from racing creates and re-added columns, nothing else', async () => {
    const racing = fakeClient({
      fail: (query) =>
        query.includes('`gt`.a ')
          ? new Error('Code: 57, e.displayText() = DB::Exception: Table gt.a already exists., e.what() = DB::Exception')
          : query.startsWith('ALTER')
            ? new Error('Code: 44, e.displayText() = DB::Exception: Cannot add column y: column with this name already exists')
            : undefined,
    });
    expect((await migrate(racing.client, 'gt', { migrations: testMigrations })).applied).toHaveLength(2);

    const broken = fakeClient({
      fail: (query) => (query.startsWith('ALTER') ? new Error('Code: 44, e.displayText() = DB::Exception: Cannot add column: illegal type') : undefined),
    });
    const error = await migrate(broken.client, 'gt', { migrations: testMigrations }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/migration 2 \(two\), statement 2 failed: Code: 44/);
    // Migration 1 is recorded; 2 is not, so the next run retries it from its first statement.
    expect(broken.records.map((r) => r.version)).toEqual([1]);
  });

  it('explains the bound-client mistake', async () => {
    const bound = fakeClient({
      fail: () => new Error("Code: 81, e.displayText() = DB::Exception: Database gt doesn't exist, e.what() = DB::Exception"),
    });
    await expect(migrate(bound.client, 'gt', { migrations: testMigrations })).rejects.toThrow(/created without `database`/);
  });

  it('refuses an unsafe database name before talking to the server', async () => {
    const fake = fakeClient();
    await expect(migrate(fake.client, 'a-b', { migrations: testMigrations })).rejects.toThrow(/unsafe/);
    expect(fake.commands).toEqual([]);
  });
});
