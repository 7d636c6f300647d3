/**
 * Reading whole hours from `traffic_hour` must not change any answer. Two databases get the same minute rows —
 * with replayed copies and re-emissions at a higher version, merges stopped so the duplicates stay unmerged — and
 * the same alerts; only one of them is rolled up (all hours but one, so both the hourly path and its per-hour
 * fallback run). An api on each answers every ranking with every filter for every role; the answers must be equal.
 */
import { createClickHouseClient, rollupHours, rollupVersion, type TrafficMinuteRow } from '@gtwatch/clickhouse';
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryRunner } from '../../src/db.js';
import { planTraffic } from '../../src/queries/hours.js';
import type { ApiHandle } from '../../src/server.js';
import { ALERTS, alertRows, NOW_MS, PERSONAS, T0 } from './fixtures.js';
import { getJson, type Json, startTestApi, testDatabase, writeTokensFile } from './support.js';

const REPORTERS = ['234-15', '310-410', '302-910'];
const EXTRA = Array.from({ length: 24 }, (_, i) => `33612${String(i * 7919).padStart(6, '0')}`);
const SOURCES = [...new Set([...ALERTS.map((a) => a.source), ...EXTRA])];
const COUNTRIES = ['CI', 'US', 'CN', 'GB', 'DE', 'FR'];
const SKIPPED_HOUR = T0 + 5 * 3_600; // never rolled up: read from minutes even in the rolled-up database
const SHIFTING = EXTRA[3] as string; // changes country mid-hour (new reference data)

let seed = 7;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}

function minuteRows(): { first: TrafficMinuteRow[]; replays: TrafficMinuteRow[]; reemitted: TrafficMinuteRow[] } {
  const first: TrafficMinuteRow[] = [];
  for (const [index, entity] of SOURCES.entries()) {
    const realm = !/^\d+$/.test(entity);
    for (let minute = index % 5; minute < 1_440; minute += 3 + (index % 11)) {
      const transactions = 1 + Math.floor(random() * 40);
      const time = T0 + minute * 60;
      const shifted = entity === SHIFTING && minute >= 7 * 60 + 30;
      first.push({
        minute: time,
        reporter: REPORTERS[(index + Math.floor(minute / 97)) % REPORTERS.length] as string,
        entity_type: realm ? 'realm' : 'gt',
        entity,
        protocol: realm ? 'DIAMETER' : minute % 13 === 0 ? 'CAP' : 'MAP',
        operation: realm ? 316 : [2, 56, 71][minute % 3] as number,
        transactions,
        errors: Math.floor(transactions / 7),
        scanning_errors: 0,
        subscribers: 1 + (minute % 9),
        late: minute % 17 === 0 ? 1 : 0,
        source_country: shifted ? 'FR' : (ALERTS.find((a) => a.source === entity)?.country ?? (COUNTRIES[index % COUNTRIES.length] as string)),
        source_plmn: '',
        source_operator: '',
        leased: 0,
        category: 0,
        version: 1,
      });
    }
  }
  const replays = first.filter(() => random() < 0.2);
  const reemitted = first.filter(() => random() < 0.05).map((row) => ({ ...row, transactions: row.transactions + 100, version: 2 }));
  return { first, replays, reemitted };
}

const FILTERS = [
  '',
  '&reporter=234-15',
  '&reporter=310-410',
  '&country=CI',
  '&country=FR',
  '&protocol=MAP',
  '&protocol=DIAMETER',
  '&protocol=CAP&country=US',
  '&pattern=category-1',
  '&pattern=scanning&protocol=MAP',
  '&jurisdiction=gb',
  '&jurisdiction=us&reporter=310-410',
  '&country=GB&reporter=234-15',
];
const RANGES = [
  '', // the last 24 h: [T0, T0 + 1 day), its last hour too recent for traffic_hour
  `&from=${new Date((T0 + 1_234) * 1000).toISOString()}&to=${new Date((T0 + 50_000) * 1000).toISOString()}`,
  `&from=${new Date((T0 + 3 * 3_600) * 1000).toISOString()}&to=${new Date((T0 + 9 * 3_600) * 1000).toISOString()}`,
];

describe('hourly rollup: the same answers as the minute table alone', () => {
  let hourly: Awaited<ReturnType<typeof testDatabase>>;
  let minutes: Awaited<ReturnType<typeof testDatabase>>;
  let hourlyApi: ApiHandle;
  let minutesApi: ApiHandle;
  const { first, replays, reemitted } = minuteRows();

  beforeAll(async () => {
    [hourly, minutes] = await Promise.all([testDatabase('hourly'), testDatabase('hourly_ref')]);
    for (const db of [hourly, minutes]) {
      await db.client.command({ query: `SYSTEM STOP MERGES ${db.database}.traffic_minute` });
      await db.insert('traffic_minute', first);
      await db.insert('traffic_minute', replays);
      await db.insert('traffic_minute', reemitted);
      await db.insert('alerts', alertRows());
    }
    const hours = Array.from({ length: 24 }, (_, h) => T0 + h * 3_600).filter((hour) => hour !== SKIPPED_HOUR);
    await rollupHours(hourly.client, hourly.database, hours, rollupVersion());
    const tokens = writeTokensFile(PERSONAS.map((p) => p.token));
    [hourlyApi, minutesApi] = await Promise.all([
      startTestApi(hourly.database, tokens, { now: () => NOW_MS }),
      startTestApi(minutes.database, tokens, { now: () => NOW_MS }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([hourlyApi?.close(), minutesApi?.close()]);
    await Promise.all([hourly?.drop(), minutes?.drop()]);
  });

  it('plans hours from traffic_hour where they are rolled up and settled, minutes elsewhere', async () => {
    const client = createClickHouseClient({ url: inject('clickhouseUrl'), user: inject('clickhouseUser'), password: inject('clickhousePassword') });
    try {
      const runner = new QueryRunner(client, { timeoutMs: 10_000 });
      const plan = await planTraffic(runner, hourly.database, { from: T0 + 1_234, to: T0 + 86_400 }, NOW_MS);
      expect(plan.hours).toEqual({ from: T0 + 3_600, to: T0 + 23 * 3_600, only: expect.not.arrayContaining([SKIPPED_HOUR]) });
      expect(plan.hours?.only).toHaveLength(21);
      expect(plan.minutes).toEqual([
        { from: T0 + 1_234, to: T0 + 3_600 },
        { from: SKIPPED_HOUR, to: SKIPPED_HOUR + 3_600 },
        { from: T0 + 23 * 3_600, to: T0 + 86_400 },
      ]);
      expect((await planTraffic(runner, minutes.database, { from: T0, to: T0 + 86_400 }, NOW_MS)).hours).toBeNull();
    } finally {
      await client.close();
    }
  });

  it('ranks by transactions identically for every role, filter and range', async () => {
    let compared = 0;
    let nonEmpty = 0;
    for (const persona of PERSONAS) {
      for (const range of RANGES) {
        for (const filter of FILTERS) {
          const path = `/api/v1/sources/top?by=transactions&limit=100${range}${filter}`;
          const [a, b] = await Promise.all([getJson(hourlyApi, path, persona.token.token), getJson(minutesApi, path, persona.token.token)]);
          expect({ persona: persona.label, path, status: a.status, body: a.body }).toEqual({ persona: persona.label, path, status: b.status, body: b.body });
          compared++;
          if (a.status === 200 && a.body.items.length > 0) nonEmpty++;
        }
      }
    }
    expect(compared).toBe(PERSONAS.length * RANGES.length * FILTERS.length);
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  });

  it('pages identically, and the score ranking carries the same transaction sums', async () => {
    const analyst = PERSONAS.find((p) => p.role === 'analyst')!;
    const pages = async (api: ApiHandle) => {
      const items: Json[] = [];
      let cursor: string | null = null;
      do {
        const { body } = await getJson(api, `/api/v1/sources/top?by=transactions&limit=4${RANGES[1]}${cursor ? `&cursor=${cursor}` : ''}`, analyst.token.token);
        items.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      return items;
    };
    const paged = await pages(hourlyApi);
    expect(paged.length).toBeGreaterThan(8);
    expect(paged).toEqual(await pages(minutesApi));
    for (const persona of PERSONAS) {
      const path = `/api/v1/sources/top?by=score${RANGES[1]}`;
      const [a, b] = await Promise.all([getJson(hourlyApi, path, persona.token.token), getJson(minutesApi, path, persona.token.token)]);
      expect(a).toEqual(b);
    }
  });

  it('really reads traffic_hour: a minute row added after the rollup shows only once its hour is rolled up again', async () => {
    const analyst = PERSONAS.find((p) => p.role === 'analyst')!;
    const path = `/api/v1/sources/top?by=transactions&limit=1${RANGES[2]}`;
    const before = (await getJson(hourlyApi, path, analyst.token.token)).body.items[0];
    const late = { ...first.find((row) => row.entity === before.entity && row.minute >= T0 + 4 * 3_600)!, minute: T0 + 4 * 3_600 + 59 * 60, operation: 45, transactions: 1_000 };
    await hourly.insert('traffic_minute', [late]);
    await minutes.insert('traffic_minute', [late]);
    expect((await getJson(hourlyApi, path, analyst.token.token)).body.items[0]).toEqual(before);
    await rollupHours(hourly.client, hourly.database, [late.minute], rollupVersion());
    const after = (await getJson(hourlyApi, path, analyst.token.token)).body.items[0];
    expect(after.transactions).toBe(before.transactions + 1_000);
    expect(after).toEqual((await getJson(minutesApi, path, analyst.token.token)).body.items[0]);
  });
});
