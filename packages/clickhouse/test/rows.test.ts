import { describe, expect, it } from 'vitest';
import {
  AlertRowSchema,
  alertSequence,
  EntityScoreRowSchema,
  TrafficMinuteRowSchema,
  toAlertRow,
} from '../src/index.js';
import { alertEvent, scoreRow, trafficRow } from './fixtures.js';

describe('toAlertRow', () => {
  it('flattens an alert event into an alerts row', () => {
    const alert = alertEvent();
    const row = toAlertRow(alert);
    expect(AlertRowSchema.parse(row)).toEqual(row);
    const timeMs = Date.parse('2026-11-30T10:15:30.250Z');
    expect(row).toEqual({
      alert_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      event_id: '0b1c2d3e-0000-4000-8000-000000000001',
      event_source: 'urn:gtwatch:scorer:test-1',
      type: 'org.gtwatch.alert.opened.v1',
      status: 'open',
      pattern: 'category-1',
      category: 1,
      severity: 'high',
      score: 80,
      tlp: 'amber',
      subject: '2250760000123',
      source_type: 'gt',
      source_id: '2250760000123',
      source_country: 'CI',
      source_plmn: '612-03',
      source_operator: "Côte d'Ivoire \"Mobile\"",
      source_leased: 0,
      victim_plmns: ['234-15'],
      victim_countries: ['GB'],
      victim_subscribers: 3,
      reporters: ['234-15', '310-260'],
      jurisdictions: ['gb', 'us'],
      cross_border: 1,
      first_seen: Math.floor(Date.parse('2026-11-30T10:14:02.500Z') / 1000),
      last_seen: Math.floor(Date.parse('2026-11-30T10:15:29Z') / 1000),
      event_time: Math.floor(timeMs / 1000),
      sequence: timeMs * 4,
      count: 3,
      operations: JSON.stringify(alert.data.operations),
      evidence: JSON.stringify(alert.data.evidence),
      explanation: alert.data.explanation,
      version: timeMs * 4,
    });
  });

  it('maps nulls to empty strings / NULL category and orders events by time then status', () => {
    const alert = alertEvent({ type: 'org.gtwatch.alert.resolved.v1' });
    const scanning = {
      ...alert,
      data: {
        ...alert.data,
        pattern: 'scanning' as const,
        category: null,
        source: { ...alert.data.source, country: null, plmn: null, operator: null, leased: true },
      },
    };
    const row = toAlertRow(scanning, { version: 7 });
    expect(row).toMatchObject({ category: null, source_country: '', source_plmn: '', source_operator: '', source_leased: 1, version: 7 });
    const t = Date.parse(alert.time);
    expect(alertSequence(t, 'open')).toBeLessThan(alertSequence(t, 'update'));
    expect(alertSequence(t, 'update')).toBeLessThan(alertSequence(t, 'resolved'));
    expect(alertSequence(t, 'resolved')).toBeLessThan(alertSequence(t + 1, 'open'));
    expect(Number.isSafeInteger(alertSequence(Date.parse('3999-12-31T23:59:59.999Z'), 'resolved'))).toBe(true);
  });
});

describe('row schemas', () => {
  it('accept representative rows', () => {
    expect(TrafficMinuteRowSchema.parse(trafficRow())).toEqual(trafficRow());
    expect(EntityScoreRowSchema.parse(scoreRow())).toEqual(scoreRow());
  });

  it('refuse rows the table would reject or misread', () => {
    expect(TrafficMinuteRowSchema.safeParse(trafficRow({ minute: 1_796_033_701 })).success).toBe(false);
    expect(TrafficMinuteRowSchema.safeParse(trafficRow({ transactions: -1 })).success).toBe(false);
    expect(TrafficMinuteRowSchema.safeParse(trafficRow({ subscribers: 2 ** 32 })).success).toBe(false);
    expect(TrafficMinuteRowSchema.safeParse({ ...trafficRow(), protocol: 'SIP' }).success).toBe(false);
    expect(TrafficMinuteRowSchema.safeParse({ ...trafficRow(), extra: 1 }).success).toBe(false);
    expect(TrafficMinuteRowSchema.safeParse({ ...trafficRow(), leased: true }).success).toBe(false);
    expect(EntityScoreRowSchema.safeParse({ ...scoreRow(), pattern: 'nope' }).success).toBe(false);
    expect(EntityScoreRowSchema.safeParse(scoreRow({ score: 101 })).success).toBe(false);
  });
});
