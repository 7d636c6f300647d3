import { describe, expect, it } from 'vitest';
import {
  HOUR_SECONDS,
  latestHourSnapshot,
  render,
  rolledUpHoursQuery,
  rollupHours,
  rollupVersion,
  sql,
  identifier,
  type TrafficMinuteRow,
  tableInserter,
} from '../../src/index.js';
import { trafficRow } from '../fixtures.js';
import { rows, useMigratedDatabase } from './support.js';

const { database: db, client } = useMigratedDatabase('rollup');
const H = 1_796_032_800; // 2026-11-30 10:00:00 UTC

const insert = (values: TrafficMinuteRow[]) => tableInserter<TrafficMinuteRow>(client, 'traffic_minute')(values);

interface Sums {
  entity: string;
  reporter: string;
  country: string;
  transactions: string;
  errors: string;
  late: string;
  subscribers: number;
}

/** What the API would compute from the minute table alone, per (entity, reporter, country) in [from, to). */
function fromMinutes(from: number, to: number): Promise<Sums[]> {
  return rows<Sums>(
    client,
    render(sql`SELECT entity, reporter, source_country AS country, sum(transactions) AS transactions, sum(errors) AS errors,
  sum(late) AS late, max(subscribers) AS subscribers
FROM ${identifier(db, 'traffic_minute')} FINAL
WHERE minute >= toDateTime(${from}) AND minute < toDateTime(${to})
GROUP BY entity, reporter, country ORDER BY entity, reporter, country`),
  );
}

function fromHours(from: number, to: number): Promise<Sums[]> {
  return rows<Sums>(
    client,
    render(sql`SELECT entity, reporter, source_country AS country, sum(transactions) AS transactions, sum(errors) AS errors,
  sum(late) AS late, max(subscribers) AS subscribers
FROM ${identifier(db, 'traffic_hour')}
WHERE hour >= toDateTime(${from}) AND hour < toDateTime(${to}) AND ${latestHourSnapshot(db, { from, to })}
GROUP BY entity, reporter, country ORDER BY entity, reporter, country`),
  );
}

describe('rollupHours', () => {
  it('sums each hour exactly: replayed minute rows count once, at their highest version', async () => {
    await insert([
      trafficRow({ minute: H, transactions: 10, errors: 1, subscribers: 4 }),
      trafficRow({ minute: H + 60, transactions: 5, subscribers: 9 }),
      trafficRow({ minute: H + 60, operation: 45, transactions: 7, late: 2 }),
      trafficRow({ minute: H + 120, reporter: '310-260', transactions: 3 }),
      trafficRow({ minute: H + HOUR_SECONDS + 60, transactions: 100 }), // the next hour
      trafficRow({ minute: H + 60, entity: '447700900123', source_country: 'GB', transactions: 11 }),
    ]);
    // A replay of the same minute rows (identical) and a re-emission with a higher version that supersedes one.
    await insert([
      trafficRow({ minute: H, transactions: 10, errors: 1, subscribers: 4 }),
      trafficRow({ minute: H + 60, transactions: 6, subscribers: 9, version: 2 }),
    ]);
    const outcomes = await rollupHours(client, db, [new Date(H * 1000 + 1_234_000), H + HOUR_SECONDS, H], rollupVersion());
    expect(outcomes.map((o) => o.hour)).toEqual([H, H + HOUR_SECONDS]);

    const hours = await fromHours(H, H + 2 * HOUR_SECONDS);
    expect(hours).toEqual(await fromMinutes(H, H + 2 * HOUR_SECONDS));
    const mine = hours.find((row) => row.entity === '2250760000123' && row.reporter === '234-15');
    // 10 + 6 (version 2 replaced 5) + 7 + 100; errors 1 a row; late 2; subscribers: the largest minute count.
    expect(mine).toMatchObject({ transactions: '123', errors: '4', late: '2', subscribers: 9 });
    const covered = await rows<{ h: number }>(client, render(rolledUpHoursQuery(db, { from: H - HOUR_SECONDS, to: H + 3 * HOUR_SECONDS })));
    expect(covered.map((row) => Number(row.h))).toEqual([H, H + HOUR_SECONDS]);
  });

  it('a later rollup replaces the hour, and rows only the older snapshot had no longer count', async () => {
    const entity = '2250760000999';
    await insert([trafficRow({ minute: H + 600, entity, source_country: 'CI', transactions: 40 })]);
    await rollupHours(client, db, [H], rollupVersion());
    const before = (await fromHours(H, H + HOUR_SECONDS)).filter((row) => row.entity === entity);
    expect(before).toEqual([expect.objectContaining({ country: 'CI', transactions: '40' })]);

    // The same minute re-emitted with other reference data (a new country) and more traffic in the hour.
    await insert([
      trafficRow({ minute: H + 600, entity, source_country: 'SN', transactions: 40, version: 5 }),
      trafficRow({ minute: H + 660, entity, source_country: 'SN', transactions: 2, version: 5 }),
    ]);
    // Until the hour is rolled up again it still shows the old snapshot: the staleness the sink's loop bounds.
    expect((await fromHours(H, H + HOUR_SECONDS)).filter((row) => row.entity === entity)).toEqual(before);
    await rollupHours(client, db, [H], rollupVersion());
    const after = (await fromHours(H, H + HOUR_SECONDS)).filter((row) => row.entity === entity);
    expect(after).toEqual([expect.objectContaining({ country: 'SN', transactions: '42' })]);
    expect(await fromHours(H, H + HOUR_SECONDS)).toEqual(await fromMinutes(H, H + HOUR_SECONDS));
    // The CI row of the first snapshot is still stored (different sort key), just never read.
    const stored = await rows<{ n: string }>(
      client,
      render(sql`SELECT count() AS n FROM ${identifier(db, 'traffic_hour')} FINAL WHERE entity = ${entity} AND source_country = 'CI'`),
    );
    expect(stored).toEqual([{ n: '1' }]);
  });

  it('an older snapshot written late (a slower process) does not override a newer one', async () => {
    const entity = '2250760000777';
    await insert([trafficRow({ minute: H + 1200, entity, transactions: 8 })]);
    const early = rollupVersion(Date.now() - 10_000);
    await rollupHours(client, db, [H], rollupVersion());
    await insert([trafficRow({ minute: H + 1260, entity, transactions: 1 })]);
    await rollupHours(client, db, [H], early); // started before the newest rollup, finished after it
    const mine = (await fromHours(H, H + HOUR_SECONDS)).filter((row) => row.entity === entity);
    expect(mine).toEqual([expect.objectContaining({ transactions: '8' })]);
    await rollupHours(client, db, [H], rollupVersion());
    expect(await fromHours(H, H + HOUR_SECONDS)).toEqual(await fromMinutes(H, H + HOUR_SECONDS));
  });
});
