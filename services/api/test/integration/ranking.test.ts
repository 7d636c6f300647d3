import type { TrafficMinuteRow } from '@gtwatch/clickhouse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandle } from '../../src/server.js';
import { NOW_MS, PERSONAS, T0 } from './fixtures.js';
import { getJson, startTestApi, testDatabase, writeTokensFile } from './support.js';

/**
 * Ranking by transactions reads unmerged ReplacingMergeTree parts without FINAL for its candidates, so it must stay
 * exact when replays and re-emissions make plain sums lie. 120 sources, 3 minutes each; sources 0–29 are replayed
 * (every row written three times), which lifts their plain sums far above their true rank; source 5's last minute
 * is re-emitted with a higher version and a larger count, which must replace, not add to, the first emission.
 */
const SOURCES = 120;
const entity = (i: number) => `4477009${String(i).padStart(5, '0')}`;
const base = (i: number) => 10 + ((i * 37) % 97);

function row(i: number, minute: number, transactions: number, version: number): TrafficMinuteRow {
  return {
    minute: T0 + minute * 60,
    reporter: '234-15',
    entity_type: 'gt',
    entity: entity(i),
    protocol: 'MAP',
    operation: 56,
    transactions,
    errors: 0,
    scanning_errors: 0,
    subscribers: 1,
    late: 0,
    source_country: 'GB',
    source_plmn: '',
    source_operator: '',
    leased: 0,
    category: 0,
    version,
  };
}

function expectedRanking(): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (let i = 0; i < SOURCES; i++) totals.set(entity(i), 3 * base(i));
  totals.set(entity(5), 2 * base(5) + 500);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

describe('exact ranking by transactions over unmerged replays', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let api: ApiHandle;
  const analyst = PERSONAS.find((p) => p.role === 'analyst')!;

  beforeAll(async () => {
    db = await testDatabase('ranking');
    // Separate INSERTs make separate parts; SYSTEM STOP MERGES keeps them unmerged, as a busy server would.
    await db.client.command({ query: `SYSTEM STOP MERGES ${db.database}.traffic_minute` });
    const rows = Array.from({ length: SOURCES }, (_, i) => [0, 1, 2].map((m) => row(i, 100 + m, base(i), 1))).flat();
    await db.insert('traffic_minute', rows);
    for (let copy = 0; copy < 2; copy++) await db.insert('traffic_minute', rows.filter((r) => Number(r.entity.slice(-5)) < 30));
    await db.insert('traffic_minute', [row(5, 102, 500, 2)]);
    api = await startTestApi(db.database, writeTokensFile([analyst.token]), { now: () => NOW_MS });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('ranks as FINAL would, page after page', async () => {
    const seen: Array<[string, number]> = [];
    let cursor: string | null = null;
    do {
      const path: string = `/api/v1/sources/top?by=transactions&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
      const { status, body } = await getJson(api, path, analyst.token.token);
      expect(status).toBe(200);
      seen.push(...body.items.map((item: { entity: string; transactions: number }) => [item.entity, item.transactions] as [string, number]));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expectedRanking());
    // The plain sums really do disagree, so this test can fail.
    const plain = await db.client.query({
      query: `SELECT sum(transactions) AS s FROM ${db.database}.traffic_minute WHERE entity = '${entity(5)}'`,
      format: 'JSONEachRow',
    });
    expect(Number(((await plain.json()) as Array<{ s: string }>)[0]?.s)).not.toBe(2 * base(5) + 500);
  });

  it('gives the exact sums of the page when ranked by score', async () => {
    const { body } = await getJson(api, `/api/v1/sources/${entity(5)}`, analyst.token.token);
    const total = body.series.points.reduce((sum: number, p: { transactions: number }) => sum + p.transactions, 0);
    expect(total).toBe(2 * base(5) + 500);
  });
});
