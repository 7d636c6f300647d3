import { describe, expect, it } from 'vitest';
import { selectForExport } from '../src/index.js';
import { alertEvent } from './fixtures.js';

describe('selectForExport', () => {
  const opened = alertEvent({ id: 'a1', alertId: 'A', time: '2026-11-30T10:00:00.000Z', jurisdictions: ['gb'] });
  const updated = alertEvent({ id: 'a2', alertId: 'A', status: 'update', time: '2026-11-30T11:00:00.000Z', jurisdictions: ['gb', 'us'] });
  const other = alertEvent({ id: 'b1', alertId: 'B', time: '2026-11-30T09:00:00.000Z', jurisdictions: ['au'] });
  const red = alertEvent({ id: 'r1', alertId: 'R', tlp: 'red', time: '2026-11-30T11:00:00.000Z', jurisdictions: ['gb'] });

  it('keeps the latest state of each alert', () => {
    expect(selectForExport([opened, other, updated]).alerts.map((a) => a.id)).toEqual(['a2', 'b1']);
    expect(selectForExport([updated, opened]).alerts.map((a) => a.id)).toEqual(['a2']);
  });

  it('filters by time of the latest event and by jurisdiction', () => {
    expect(selectForExport([opened, updated, other], { sinceMs: Date.parse('2026-11-30T10:30:00Z') }).alerts.map((a) => a.id)).toEqual(['a2']);
    expect(selectForExport([opened, updated, other], { jurisdiction: 'us' }).alerts.map((a) => a.id)).toEqual(['a2']);
    expect(selectForExport([opened, other], { jurisdiction: 'us' }).alerts).toEqual([]);
  });

  it('never exports a red alert and says how many it withheld', () => {
    expect(selectForExport([red, opened], { jurisdiction: 'gb' })).toEqual({ alerts: [opened], redWithheld: 1 });
    expect(selectForExport([red]).redWithheld).toBe(1);
  });
});
