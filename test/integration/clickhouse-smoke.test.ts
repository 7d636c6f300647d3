import { type ClickHouseClient, serverVersion } from '@gtwatch/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/services.js';

describe('ClickHouse against the real server', () => {
  let client: ClickHouseClient;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ client, drop } = await testDatabase('smoke'));
  });
  afterAll(async () => {
    await drop();
  });

  it('reports its version', async () => {
    expect(await serverVersion(client)).toMatch(/^\d+\.\d+/);
  });

  it('creates a table, inserts JSONEachRow rows and reads aggregates back', async () => {
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS smoke_rows (
        minute DateTime, entity String, operation UInt16, transactions UInt64
      ) ENGINE = MergeTree PARTITION BY toYYYYMMDD(minute) ORDER BY (entity, minute, operation)`,
    });
    await client.insert({
      table: 'smoke_rows',
      format: 'JSONEachRow',
      values: [
        { minute: '2026-11-30 10:15:00', entity: '2250760000123', operation: 71, transactions: 3 },
        { minute: '2026-11-30 10:15:00', entity: '2250760000123', operation: 45, transactions: 120 },
        { minute: '2026-11-30 10:16:00', entity: '447700900001', operation: 2, transactions: 1 },
      ],
    });
    const result = await client.query({
      query: 'SELECT entity, sum(transactions) AS total FROM smoke_rows GROUP BY entity ORDER BY entity',
      format: 'JSONEachRow',
    });
    // UInt64 arrives quoted, as documented for both 18.16 and current servers.
    expect(await result.json()).toEqual([
      { entity: '2250760000123', total: '123' },
      { entity: '447700900001', total: '1' },
    ]);
  });

  it('collapses replayed rows in a ReplacingMergeTree read with FINAL', async () => {
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS smoke_replacing (
        minute DateTime, entity String, transactions UInt64, version UInt64
      ) ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMMDD(minute) ORDER BY (entity, minute)`,
    });
    const row = { minute: '2026-11-30 10:15:00', entity: '2250760000123', transactions: 5, version: 1 };
    await client.insert({ table: 'smoke_replacing', format: 'JSONEachRow', values: [row] });
    await client.insert({ table: 'smoke_replacing', format: 'JSONEachRow', values: [row] });
    const result = await client.query({
      query: 'SELECT count() AS n, sum(transactions) AS total FROM smoke_replacing FINAL',
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ n: '1', total: '5' }]);
  });
});
