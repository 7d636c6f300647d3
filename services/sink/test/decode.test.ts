import { encodeAggregateBatches } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { aggregateVersion, decodeAggregate, decodeAlert, toTrafficMinuteRow } from '../src/index.js';
import { aggregate, alertEvent, json, MINUTE_0 } from './fixtures.js';

const at = 1_796_033_765_432;

describe('decodeAggregate', () => {
  it('maps a valid aggregate to a traffic_minute row: epoch-second minute, 0/1 flags, "" for nulls, record time as version', () => {
    const [decoded] = decodeAggregate({ value: json(aggregate({ sourcePlmn: null, sourceOperator: null, leased: true, minuteIndex: 2 })), timestamp: at });
    expect(decoded).toEqual({
      ok: true,
      row: {
        minute: MINUTE_0 + 120,
        reporter: '234-15',
        entity_type: 'gt',
        entity: '2250760000123',
        protocol: 'MAP',
        operation: 71,
        transactions: 3,
        errors: 1,
        scanning_errors: 0,
        subscribers: 2,
        late: 0,
        source_country: 'CI',
        source_plmn: '',
        source_operator: '',
        leased: 1,
        category: 1,
        version: at,
      },
    });
  });

  it('reads every row of a batch record, with the record time as every row\'s version', () => {
    const rows = [aggregate({ minuteIndex: 0 }), aggregate({ minuteIndex: 1, entity: '2250760000999' }), aggregate({ minuteIndex: 2 })];
    const [value] = encodeAggregateBatches(rows);
    const decoded = decodeAggregate({ value: Buffer.from(value ?? ''), timestamp: at });
    expect(decoded.map((d) => (d.ok ? [d.row.minute, d.row.entity, d.row.version] : d.reason))).toEqual([
      [MINUTE_0, '2250760000123', at],
      [MINUTE_0 + 60, '2250760000999', at],
      [MINUTE_0 + 120, '2250760000123', at],
    ]);
  });

  it('skips only the bad rows of a batch, each with its reason', () => {
    const good = aggregate();
    const value = json({ schemaVersion: 1, aggregates: [good, { ...good, transactions: -1 }, aggregate({ minute: '2026-11-30T10:15:07Z' }), good] });
    expect(decodeAggregate({ value, timestamp: at }).map((d) => (d.ok ? 'ok' : d.reason))).toEqual(['ok', 'schema', 'row', 'ok']);
  });

  it('skips a record whose batch envelope is wrong, as one schema failure', () => {
    for (const envelope of [{ schemaVersion: 1, aggregates: [] }, { schemaVersion: 2, aggregates: [aggregate()] }]) {
      expect(decodeAggregate({ value: json(envelope), timestamp: at })).toEqual([
        { ok: false, reason: 'schema', message: expect.stringContaining('aggregate batch: ') },
      ]);
    }
  });

  it('is deterministic: the same record always gives the same row (what makes replays collapse)', () => {
    const record = { value: json(aggregate()), timestamp: at };
    expect(decodeAggregate(record)).toEqual(decodeAggregate({ ...record }));
  });

  it('names the reason of every skipped record', () => {
    const one = (value: Buffer | null) => {
      const decoded = decodeAggregate({ value, timestamp: at });
      expect(decoded).toHaveLength(1);
      return decoded[0];
    };
    expect(one(null)).toMatchObject({ ok: false, reason: 'empty' });
    expect(one(Buffer.from('{not json'))).toMatchObject({ ok: false, reason: 'json' });
    const { transactions: _, ...missing } = aggregate();
    expect(one(json(missing))).toMatchObject({ ok: false, reason: 'schema', message: expect.stringContaining('transactions') });
    expect(one(json({ ...aggregate(), extra: 1 }))).toMatchObject({ ok: false, reason: 'schema' });
    // Valid by contract, but not the start of a minute: the table's row schema refuses it.
    expect(one(json(aggregate({ minute: '2026-11-30T10:15:07Z' })))).toMatchObject({
      ok: false,
      reason: 'row',
      message: expect.stringContaining('minute'),
    });
  });

  it('uses 0 as the version for a record without a usable timestamp', () => {
    expect(aggregateVersion(-1)).toBe(0);
    expect(aggregateVersion(Number.NaN)).toBe(0);
    expect(toTrafficMinuteRow(aggregate(), 7).version).toBe(7);
  });
});

describe('decodeAlert', () => {
  it('maps a valid CloudEvent with toAlertRow (version = the event sequence)', () => {
    const [decoded] = decodeAlert({ value: json(alertEvent()), timestamp: at });
    if (!decoded?.ok) throw new Error('expected a decoded alert');
    expect(decoded.row).toMatchObject({ alert_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', event_id: 'evt-0001', status: 'open', source_plmn: '', source_leased: 0 });
    expect(decoded.row.version).toBe(decoded.row.sequence);
  });

  it('skips contract violations and refuses TLP:RED events', () => {
    expect(decodeAlert({ value: json({ ...alertEvent(), subject: 'someone-else' }), timestamp: at })).toMatchObject([{ ok: false, reason: 'schema' }]);
    expect(decodeAlert({ value: json(alertEvent({ tlp: 'red' })), timestamp: at })).toMatchObject([{ ok: false, reason: 'refused' }]);
    expect(decodeAlert({ value: Buffer.from(''), timestamp: at })).toMatchObject([{ ok: false, reason: 'empty' }]);
  });
});
