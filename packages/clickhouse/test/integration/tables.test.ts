import { describe, expect, it } from 'vitest';
import {
  type AlertRow,
  type EntityScoreRow,
  latestAlerts,
  latestAlertsQuery,
  queryRows,
  render,
  sql,
  identifier,
  type TrafficMinuteRow,
  tableInserter,
  toAlertRow,
} from '../../src/index.js';
import { alertEvent, scoreRow, trafficRow } from '../fixtures.js';
import { rows, useMigratedDatabase } from './support.js';
import * as z from 'zod';

const { database: db, client } = useMigratedDatabase('tables');

async function insertTwice<Row>(table: string, values: Row[]): Promise<void> {
  const insert = tableInserter<Row>(client, table);
  await insert(values);
  await insert(values); // a replay: a retried batch, or a consumer re-reading from its committed offset
}

describe('traffic_minute', () => {
  const minute = 1_796_033_700;
  const sample: TrafficMinuteRow[] = [
    trafficRow(),
    trafficRow({ operation: 45, transactions: 120, errors: 7, scanning_errors: 5, subscribers: 80 }),
    trafficRow({ minute: minute + 60, reporter: '310-260', transactions: 4, errors: 0, late: 1 }),
    trafficRow({
      entity_type: 'realm',
      entity: 'epc.mnc003.mcc612.3gppnetwork.org',
      protocol: 'DIAMETER',
      operation: 316,
      transactions: 9,
      source_operator: "O'Brien \\ \"Telecom\" ☎",
      leased: 1,
      category: 2,
    }),
    // Another day: another partition.
    trafficRow({ minute: minute + 86_400, protocol: 'CAP', operation: 0, transactions: 2 }),
  ];

  it('accepts representative rows and reads them back exactly', async () => {
    await insertTwice('traffic_minute', sample);
    const back = await rows<TrafficMinuteRow>(
      client,
      `SELECT toUnixTimestamp(minute) AS minute, reporter, entity_type, entity, protocol, operation,
         toUInt64(transactions) AS transactions, errors, scanning_errors, subscribers, late,
         source_country, source_plmn, source_operator, leased, category, version
       FROM traffic_minute FINAL ORDER BY entity, minute, reporter, protocol, operation`,
    );
    const numeric = back.map((row) => ({
      ...row,
      transactions: Number(row.transactions),
      errors: Number(row.errors),
      scanning_errors: Number(row.scanning_errors),
      late: Number(row.late),
      version: Number(row.version),
    }));
    const expected = [...sample].sort(
      (a, b) =>
        a.entity.localeCompare(b.entity) || a.minute - b.minute || a.reporter.localeCompare(b.reporter) ||
        ['MAP', 'CAP', 'DIAMETER'].indexOf(a.protocol) - ['MAP', 'CAP', 'DIAMETER'].indexOf(b.protocol) ||
        a.operation - b.operation,
    );
    expect(numeric).toEqual(expected);
  });

  it('collapses the replay: one row per key under FINAL and after OPTIMIZE, sums counted once', async () => {
    const [final] = await rows<{ n: string; tx: string; err: string }>(
      client,
      'SELECT count() AS n, sum(transactions) AS tx, sum(errors) AS err FROM traffic_minute FINAL',
    );
    expect(final).toEqual({ n: '5', tx: String(3 + 120 + 4 + 9 + 2), err: String(1 + 7 + 0 + 1 + 1) });
    const [raw] = await rows<{ n: string }>(client, 'SELECT count() AS n FROM traffic_minute');
    expect(Number(raw?.n)).toBeGreaterThanOrEqual(5); // 10 until a merge happens
    await client.command({ query: 'OPTIMIZE TABLE traffic_minute PARTITION 20261130 FINAL' });
    await client.command({ query: 'OPTIMIZE TABLE traffic_minute PARTITION 20261201 FINAL' });
    const [merged] = await rows<{ n: string; tx: string }>(client, 'SELECT count() AS n, sum(transactions) AS tx FROM traffic_minute');
    expect(merged).toEqual({ n: '5', tx: '138' });
  });

  it('keeps the highest version of a key (a corrected re-emission)', async () => {
    await tableInserter<TrafficMinuteRow>(client, 'traffic_minute')([trafficRow({ transactions: 30, version: 2 })]);
    await tableInserter<TrafficMinuteRow>(client, 'traffic_minute')([trafficRow({ transactions: 3, version: 1 })]);
    const row = await rows<{ transactions: string; version: string }>(
      client,
      `SELECT transactions, version FROM traffic_minute FINAL WHERE entity = '2250760000123' AND minute = toDateTime(${minute}) AND reporter = '234-15' AND operation = 71`,
    );
    expect(row).toEqual([{ transactions: '30', version: '2' }]);
  });

  it('answers a per-entity minute series through the safe query builder', async () => {
    const Series = z.object({ minute: z.number(), transactions: z.string().transform(Number), errors: z.string().transform(Number) });
    const series = await queryRows(
      client,
      sql`SELECT toUnixTimestamp(minute) AS minute, sum(transactions) AS transactions, sum(errors) AS errors
          FROM ${identifier(db, 'traffic_minute')} FINAL
          WHERE entity = ${'2250760000123'} AND minute >= ${new Date(minute * 1000)} AND minute < ${new Date((minute + 3600) * 1000)}
          GROUP BY minute ORDER BY minute`,
      Series,
    );
    expect(series).toEqual([
      { minute, transactions: 30 + 120, errors: 1 + 7 },
      { minute: minute + 60, transactions: 4, errors: 0 },
    ]);
  });
});

describe('entity_scores', () => {
  const scores: EntityScoreRow[] = [
    scoreRow(),
    scoreRow({ pattern: 'scanning', score: 55, severity: 'medium', category: 0, alert_id: '', alert_open: 0 }),
    scoreRow({ minute: 1_796_033_760, score: 92, severity: 'critical' }),
  ];

  it('accepts rows, collapses the replay and gives per-entity scores over time', async () => {
    await insertTwice('entity_scores', scores);
    const series = await rows<{ minute: number; score: number; open_alerts: string; patterns: string }>(
      client,
      `SELECT toUnixTimestamp(minute) AS minute, max(score) AS score, sum(alert_open) AS open_alerts, count() AS patterns
       FROM entity_scores FINAL WHERE entity = '2250760000123' GROUP BY minute ORDER BY minute`,
    );
    expect(series).toEqual([
      { minute: 1_796_033_700, score: 80, open_alerts: '1', patterns: '2' },
      { minute: 1_796_033_760, score: 92, open_alerts: '1', patterns: '1' },
    ]);
    const [severity] = await rows<{ severity: string; rank: number }>(
      client,
      "SELECT severity, toInt8(severity) AS rank FROM entity_scores FINAL WHERE pattern = 'scanning'",
    );
    expect(severity).toEqual({ severity: 'medium', rank: 2 });
  });
});

describe('alerts', () => {
  const opened = alertEvent({ id: 'ev-1', type: 'org.gtwatch.alert.opened.v1', time: '2026-11-30T10:15:30.250Z', score: 70 });
  const updated = alertEvent({ id: 'ev-2', type: 'org.gtwatch.alert.updated.v1', time: '2026-11-30T10:20:00.000Z', score: 85 });
  const resolved = alertEvent({
    id: 'ev-3',
    type: 'org.gtwatch.alert.resolved.v1',
    time: '2026-11-30T11:20:00.000Z',
    score: 92,
    severity: 'critical',
  });
  const other = (() => {
    const base = alertEvent({ id: 'ev-9', time: '2026-11-30T10:30:00.000Z' });
    return {
      ...base,
      subject: 'epc.mnc001.mcc999.3gppnetwork.org',
      tlp: 'green' as const,
      data: {
        ...base.data,
        alertId: 'ffff0000ffff0000ffff0000ffff0000',
        pattern: 'scanning' as const,
        category: null,
        victims: { ...base.data.victims, subscribers: 0 },
        source: { type: 'realm' as const, id: 'epc.mnc001.mcc999.3gppnetwork.org', country: null, plmn: null, operator: null, leased: true },
      },
    };
  })();

  it('stores every column of an event and reads it back', async () => {
    // Out of order and replayed: the sink may see an alert's events in any order after a rebalance.
    const events = [resolved, opened, other, updated].map((alert) => toAlertRow(alert));
    await insertTwice<AlertRow>('alerts', events);
    await insertTwice<AlertRow>('alerts', [toAlertRow(opened)]);
    const [row] = await rows<Record<string, unknown>>(
      client,
      `SELECT alert_id, event_id, event_source, type, status, pattern, category, severity, score, tlp, subject,
         source_type, source_id, source_country, source_plmn, source_operator, source_leased, victim_plmns,
         victim_countries, victim_subscribers, reporters, jurisdictions, cross_border,
         toUnixTimestamp(first_seen) AS first_seen, toUnixTimestamp(last_seen) AS last_seen,
         toUnixTimestamp(event_time) AS event_time, toUInt64(sequence) AS sequence, count, operations, evidence,
         explanation, version
       FROM alerts FINAL WHERE event_id = 'ev-1'`,
    );
    const expected = toAlertRow(opened);
    expect({ ...row, sequence: Number(row?.sequence), count: Number(row?.count), version: Number(row?.version) }).toEqual(expected);
    expect(JSON.parse(String(row?.evidence))).toEqual(opened.data.evidence);
    const [nullable] = await rows<{ category: number | null; leased: number }>(
      client,
      "SELECT category, source_leased AS leased FROM alerts FINAL WHERE event_id = 'ev-9'",
    );
    expect(nullable).toEqual({ category: null, leased: 1 });
    const [counts] = await rows<{ n: string }>(client, 'SELECT count() AS n FROM alerts FINAL');
    expect(counts?.n).toBe('4');
  });

  it('answers the latest state of each alert with argMax, regardless of arrival order and replays', async () => {
    const latest = await latestAlerts(client, db);
    expect(latest.map((a) => [a.alertId, a.status, a.events])).toEqual([
      ['a1b2c3d4e5f60718293a4b5c6d7e8f90', 'resolved', 3],
      ['ffff0000ffff0000ffff0000ffff0000', 'open', 1],
    ]);
    const [main, scanning] = latest;
    expect(main).toMatchObject({
      eventId: 'ev-3',
      score: 92,
      severity: 'critical',
      category: 1,
      tlp: 'amber',
      openedAt: new Date('2026-11-30T10:15:30Z'),
      updatedAt: new Date('2026-11-30T11:20:00Z'),
      firstSeen: new Date('2026-11-30T10:14:02Z'),
      source: { type: 'gt', id: '2250760000123', country: 'CI', plmn: '612-03', leased: false },
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: 3 },
      crossBorder: true,
      operations: resolved.data.operations,
      evidence: resolved.data.evidence,
    });
    expect(scanning).toMatchObject({ category: null, source: { type: 'realm', country: null, plmn: null, operator: null, leased: true } });
  });

  it('filters on status, TLP, source, ids and time', async () => {
    const ids = async (filter: Parameters<typeof latestAlerts>[2]) => (await latestAlerts(client, db, filter)).map((a) => a.alertId);
    expect(await ids({ statuses: ['open', 'update'] })).toEqual(['ffff0000ffff0000ffff0000ffff0000']);
    expect(await ids({ maxTlp: 'green' })).toEqual(['ffff0000ffff0000ffff0000ffff0000']);
    expect(await ids({ maxTlp: 'red', limit: 1 })).toEqual(['a1b2c3d4e5f60718293a4b5c6d7e8f90']);
    expect(await ids({ sourceId: '2250760000123' })).toEqual(['a1b2c3d4e5f60718293a4b5c6d7e8f90']);
    expect(await ids({ alertIds: ['ffff0000ffff0000ffff0000ffff0000', "x' OR 1=1 --"] })).toEqual(['ffff0000ffff0000ffff0000ffff0000']);
    expect(await ids({ since: new Date('2026-11-30T11:00:00Z') })).toEqual(['a1b2c3d4e5f60718293a4b5c6d7e8f90']);
    expect(await ids({ since: new Date('2026-12-01T00:00:00Z') })).toEqual([]);
    expect(() => latestAlertsQuery(db, { limit: 0 })).toThrow(/limit/);
    expect(render(latestAlertsQuery(db, { statuses: ['open'] }))).toContain("HAVING cur_status IN ('open')");
  });
});
