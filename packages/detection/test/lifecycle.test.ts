import type { Alert } from '@gtwatch/schema';
import { AlertSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { detector, GT, MIN, mapRecord, REPORTER, run, subscriber, T0, tickAt } from './helpers.js';

const ati = (time: number, extra = {}) => mapRecord({ time, subscriber: subscriber(time), subscriberPlmn: REPORTER, ...extra });
const types = (events: readonly Alert[]) => events.map((e) => `${e.data.pattern}:${e.data.status}`);

describe('alert lifecycle', () => {
  it('opens once, updates at most once a minute, and resolves after an hour of quiet', () => {
    const events = run([
      ati(T0),
      ati(T0 + 10_000), // within the throttle: no event, update owed
      ati(T0 + 20_000),
      ati(T0 + 70_000), // the minute tick first sends the owed update (3), then this record is folded in
      tickAt(T0 + 70_000 + 61 * MIN),
    ]);
    const category1 = events.filter((e) => e.data.pattern === 'category-1');
    expect(types(category1)).toEqual(['category-1:open', 'category-1:update', 'category-1:resolved']);
    expect(category1.map((e) => e.data.count)).toEqual([1, 3, 4]);
    expect(new Set(category1.map((e) => e.data.alertId)).size).toBe(1);
    expect(new Set(category1.map((e) => e.id)).size).toBe(3);
    for (const event of events) AlertSchema.parse(event);
  });

  it('sends an owed update once the throttle allows, even without new evidence', () => {
    const events = run([ati(T0), ati(T0 + 5_000), tickAt(T0 + 3 * MIN)]);
    expect(types(events)).toEqual(['category-1:open', 'category-1:update']);
  });

  it('updates immediately when severity rises', () => {
    const events = run([ati(T0), ati(T0 + 1_000, { locationReturned: true })]);
    expect(events.map((e) => [e.data.status, e.data.severity])).toEqual([
      ['open', 'high'],
      ['update', 'critical'],
    ]);
  });

  it('uses event time only: the same records give byte-identical output', () => {
    const records = Array.from({ length: 300 }, (_, i) =>
      mapRecord({ time: T0 + i * 7_000, callingGt: i % 3 ? GT.lagune : GT.lagune2, operation: [71, 45, 7][i % 3], subscriber: subscriber(i), subscriberPlmn: REPORTER }),
    );
    const first = JSON.stringify(run(records));
    expect(JSON.stringify(run(records))).toBe(first);
    expect(first.length).toBeGreaterThan(100);
  });

  it('counts late records and still scores them', () => {
    const d = detector();
    d.process(tickAt(T0 + 10 * MIN));
    const events = d.process(ati(T0));
    expect(d.stats.late).toBe(1);
    expect(types(events)).toEqual(['category-1:open']);
  });

  it('never puts subscriber pseudonyms or called GTs into an alert', () => {
    const events = run([ati(T0, { calledGt: '447700900777' })]);
    const text = JSON.stringify(events);
    expect(text).not.toContain('hs256.');
    expect(text).not.toContain('447700900777');
  });

  it('withholds small subscriber counts below amber', () => {
    const [green] = run([ati(T0)], { alerts: { defaultTlp: 'green' } });
    expect(green?.tlp).toBe('green');
    expect(green?.data.victims.subscribers).toBe(0);
    const [amber] = run([ati(T0)]);
    expect(amber?.tlp).toBe('amber');
    expect(amber?.data.victims.subscribers).toBe(1);
    const [red] = run([ati(T0)], { alerts: { defaultTlp: 'green', tlpByPattern: { 'category-1': 'red' } } });
    expect(red?.tlp).toBe('red');
  });
});
