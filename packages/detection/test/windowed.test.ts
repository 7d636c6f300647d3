import type { SignallingSummary } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { GT, MIN, mapRecord, opened, patternsOf, REPORTER, run, subscriber, T0, tickAt } from './helpers.js';

/** `n` SRI-SM from one source spread over `minutes`, to `distinct` subscribers, each optionally followed by MT-FSM. */
function sriSmBurst(n: number, distinct: number, mtEvery: number, callingGt: string = GT.lagune, minutes = 10): SignallingSummary[] {
  const records: SignallingSummary[] = [];
  for (let i = 0; i < n; i++) {
    const time = T0 + Math.floor((i * minutes * MIN) / n);
    const target = { subscriber: subscriber(i % distinct), subscriberPlmn: REPORTER };
    records.push(mapRecord({ callingGt, operation: 45, time, ...target }));
    if (mtEvery > 0 && i % mtEvery === 0) records.push(mapRecord({ callingGt, operation: 44, time: time + 2000, ...target }));
  }
  return records;
}

describe('imsi-harvesting', () => {
  it('fires at 100 SRI-SM to 50 subscribers without MT-ForwardSM once the minute closes', () => {
    const events = run([...sriSmBurst(100, 50, 0), tickAt(T0 + 20 * MIN)]);
    const [alert] = opened(events, 'imsi-harvesting');
    expect(alert?.data.evidence).toMatchObject({ sriSm: 100, distinctSubscribers: 50, mtForwardSm: 0 });
    expect(alert?.data.count).toBe(100);
    expect(alert?.data.category).toBe(3);
  });

  it('stays silent just below each threshold', () => {
    expect(opened(run([...sriSmBurst(99, 50, 0), tickAt(T0 + 20 * MIN)]), 'imsi-harvesting')).toEqual([]);
    expect(opened(run([...sriSmBurst(100, 49, 0), tickAt(T0 + 20 * MIN)]), 'imsi-harvesting')).toEqual([]);
    // 21 % followed by delivery is above the 20 % ceiling.
    expect(opened(run([...sriSmBurst(100, 50, 4), tickAt(T0 + 20 * MIN)]), 'imsi-harvesting')).toEqual([]);
  });

  it('never fires for an SMS hub that delivers what it looks up', () => {
    expect(run([...sriSmBurst(3000, 2000, 1, GT.maple, 14), tickAt(T0 + 30 * MIN)])).toEqual([]);
  });

  it('finds a campaign that straddles window boundaries (sliding, not tumbling)', () => {
    const slow = sriSmBurst(120, 60, 0, GT.lagune, 14).map((r) => ({ ...r, time: r.time + 7 * MIN }));
    expect(patternsOf(run([...slow, tickAt(T0 + 40 * MIN)]))).toEqual([`imsi-harvesting@${GT.lagune}`]);
  });
});

function probes(n: number, failures: number, callingGt: string = GT.lagune, minutes = 4): SignallingSummary[] {
  return Array.from({ length: n }, (_, i) =>
    mapRecord({
      callingGt,
      operation: 56,
      time: T0 + Math.floor((i * minutes * MIN) / n),
      subscriber: subscriber(1000 + i),
      subscriberPlmn: REPORTER,
      ...(i < failures ? { result: 'error' as const, errorCode: 1 } : {}),
    }),
  );
}

describe('scanning', () => {
  it('fires at 50 transactions to 50 subscribers with half failing on unknown-subscriber errors', () => {
    const [alert] = opened(run([...probes(50, 25), tickAt(T0 + 10 * MIN)]), 'scanning');
    expect(alert?.data.evidence).toMatchObject({ transactions: 50, distinctSubscribers: 50, failurePercent: 50 });
  });

  it('stays silent below the volume, failure-ratio or distinct-subscriber thresholds', () => {
    expect(opened(run([...probes(49, 30), tickAt(T0 + 10 * MIN)]), 'scanning')).toEqual([]);
    expect(opened(run([...probes(60, 29), tickAt(T0 + 10 * MIN)]), 'scanning')).toEqual([]);
    const sameSubscriber = probes(60, 40).map((r) => ({ ...r, subscriber: subscriber(7) }));
    expect(opened(run([...sameSubscriber, tickAt(T0 + 10 * MIN)]), 'scanning')).toEqual([]);
  });

  it('ignores errors that reveal nothing about subscribers', () => {
    const busy = probes(60, 60).map((r) => ({ ...r, errorCode: 34 }));
    expect(opened(run([...busy, tickAt(T0 + 10 * MIN)]), 'scanning')).toEqual([]);
  });
});

describe('volume-anomaly', () => {
  function steady(minutes: number, perMinute: number): SignallingSummary[] {
    const records: SignallingSummary[] = [];
    for (let m = 0; m < minutes; m++) {
      for (let i = 0; i < perMinute; i++) {
        records.push(mapRecord({ callingGt: GT.rhein, operation: 56, time: T0 + m * MIN + i * 1000, subscriberPlmn: '262-91' }));
      }
    }
    return records;
  }
  const burst = (n: number, minute: number) =>
    Array.from({ length: n }, (_, i) =>
      mapRecord({ callingGt: GT.rhein, operation: 56, time: T0 + minute * MIN + Math.floor((i * MIN) / (n + 1)), subscriberPlmn: '262-91' }),
    );

  it('fires on a minute of ≥ 200 transactions at ≥ 10× the baseline after 30 minutes', () => {
    const events = run([...steady(40, 10), ...burst(220, 40), tickAt(T0 + 45 * MIN)]);
    const [alert] = opened(events, 'volume-anomaly');
    expect(alert?.data.evidence).toMatchObject({ transactions: 220, minutesOfHistory: 40 });
  });

  it('stays silent below 200, below 10× the baseline, or without 30 minutes of history', () => {
    expect(opened(run([...steady(40, 10), ...burst(199, 40), tickAt(T0 + 45 * MIN)]), 'volume-anomaly')).toEqual([]);
    expect(opened(run([...steady(40, 25), ...burst(240, 40), tickAt(T0 + 45 * MIN)]), 'volume-anomaly')).toEqual([]);
    expect(opened(run([...steady(20, 10), ...burst(400, 20), tickAt(T0 + 25 * MIN)]), 'volume-anomaly')).toEqual([]);
  });
});
