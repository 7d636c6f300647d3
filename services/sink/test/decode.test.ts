import { describe, expect, it } from 'vitest';
import { aggregateVersion, decodeAggregate, decodeAlert, toTrafficMinuteRow } from '../src/index.js';
import { aggregate, alertEvent, json, MINUTE_0 } from './fixtures.js';

const at = 1_796_033_765_432;

describe('decodeAggregate', () => {
  it('maps a valid aggregate to a traffic_minute row: epoch-second minute, 0/1 flags, "" for nulls, record time as version', () => {
    const decoded = decodeAggregate({ value: json(aggregate({ sourcePlmn: null, sourceOperator: null, leased: true, minuteIndex: 2 })), timestamp: at });
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

  it('is deterministic: the same record always gives the same row (what makes replays collapse)', () => {
    const record = { value: json(aggregate()), timestamp: at };
    expect(decodeAggregate(record)).toEqual(decodeAggregate({ ...record }));
  });

  it('names the reason of every skipped record', () => {
    expect(decodeAggregate({ value: null, timestamp: at })).toMatchObject({ ok: false, reason: 'empty' });
    expect(decodeAggregate({ value: Buffer.from('{not json'), timestamp: at })).toMatchObject({ ok: false, reason: 'json' });
    const { transactions: _, ...missing } = aggregate();
    expect(decodeAggregate({ value: json(missing), timestamp: at })).toMatchObject({ ok: false, reason: 'schema', message: expect.stringContaining('transactions') });
    expect(decodeAggregate({ value: json({ ...aggregate(), extra: 1 }), timestamp: at })).toMatchObject({ ok: false, reason: 'schema' });
    // Valid by contract, but not the start of a minute: the table's row schema refuses it.
    expect(decodeAggregate({ value: json(aggregate({ minute: '2026-11-30T10:15:07Z' })), timestamp: at })).toMatchObject({
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
    const decoded = decodeAlert({ value: json(alertEvent()), timestamp: at });
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.row).toMatchObject({ alert_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', event_id: 'evt-0001', status: 'open', source_plmn: '', source_leased: 0 });
    expect(decoded.row.version).toBe(decoded.row.sequence);
  });

  it('skips contract violations and refuses TLP:RED events', () => {
    expect(decodeAlert({ value: json({ ...alertEvent(), subject: 'someone-else' }), timestamp: at })).toMatchObject({ ok: false, reason: 'schema' });
    expect(decodeAlert({ value: json(alertEvent({ tlp: 'red' })), timestamp: at })).toMatchObject({ ok: false, reason: 'refused' });
    expect(decodeAlert({ value: Buffer.from(''), timestamp: at })).toMatchObject({ ok: false, reason: 'empty' });
  });
});
