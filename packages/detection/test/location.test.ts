import { describe, expect, it } from 'vitest';
import { diameterRecord, GT, MIN, mapRecord, opened, patternsOf, REPORTER, run, subscriber, T0 } from './helpers.js';

const roamer = { subscriber: subscriber(42), subscriberPlmn: REPORTER, operation: 2 };

describe('velocity', () => {
  it('fires when a subscriber registers from Australia an hour after registering in France', () => {
    const events = run([
      mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 }),
      mapRecord({ ...roamer, callingGt: GT.southernCross, time: T0 + 60 * MIN }),
    ]);
    const [alert] = opened(events, 'velocity');
    expect(alert?.subject).toBe(GT.southernCross);
    expect(alert?.data.evidence).toMatchObject({ previousCountry: 'FR', newCountry: 'AU', minutesSincePrevious: 60 });
    expect(Number(alert?.data.evidence.speedKmh)).toBeGreaterThan(10_000);
  });

  it('stays silent for plausible travel, neighbours, stale history and failed previous updates', () => {
    // France → Germany in 3 hours, Côte d'Ivoire after 12 hours: plausible.
    expect(
      run([
        mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 }),
        mapRecord({ ...roamer, callingGt: GT.rhein, time: T0 + 180 * MIN }),
        mapRecord({ ...roamer, callingGt: GT.lagune, time: T0 + 15 * 60 * MIN }),
      ]),
    ).toEqual([]);
    // More than 24 hours apart: no comparison.
    expect(run([mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 }), mapRecord({ ...roamer, callingGt: GT.southernCross, time: T0 + 25 * 60 * MIN })])).toEqual([]);
    // The earlier update failed, so it says nothing about where the subscriber was.
    expect(run([mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0, result: 'error' }), mapRecord({ ...roamer, callingGt: GT.southernCross, time: T0 + 60 * MIN })])).toEqual([]);
  });

  it('keeps trusting the genuine location after flagging an impossible one', () => {
    const events = run([
      mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 }),
      mapRecord({ ...roamer, callingGt: GT.southernCross, time: T0 + 30 * MIN }),
      mapRecord({ ...roamer, callingGt: GT.hexagone, time: T0 + 40 * MIN }),
    ]);
    expect(patternsOf(events)).toEqual([`velocity@${GT.southernCross}`]);
  });
});

describe('gt-spoofing', () => {
  it('fires when an UpdateLocation names a VLR of another country', () => {
    const events = run([mapRecord({ ...roamer, callingGt: GT.rhein, vlrGt: GT.lagune2 })]);
    expect(patternsOf(events)).toEqual([`gt-spoofing@${GT.rhein}`]);
    expect(opened(events)[0]?.data.evidence).toMatchObject({ vlrCountry: 'CI', callingCountry: 'DE' });
  });

  it('stays silent when the VLR is in the caller’s own network', () => {
    expect(run([mapRecord({ ...roamer, callingGt: GT.rhein, vlrGt: GT.rheinVlr })])).toEqual([]);
  });

  it('fires when a Diameter ULR claims a visited network other than its realm’s', () => {
    const realm = 'epc.mnc091.mcc262.3gppnetwork.org';
    expect(patternsOf(run([diameterRecord({ visitedPlmn: '208-91', subscriberPlmn: REPORTER })]))).toEqual([`gt-spoofing@${realm}`]);
    expect(run([diameterRecord({ visitedPlmn: '262-091', subscriberPlmn: REPORTER })])).toEqual([]);
  });

  it('fires when a source established on one ingress for 30 minutes and 100 transactions moves to another', () => {
    const established = Array.from({ length: 100 }, (_, i) =>
      mapRecord({ callingGt: GT.rhein, operation: 56, subscriberPlmn: '262-91', ingress: 'carrier-a', time: T0 + Math.floor((i * 30 * MIN) / 99) }),
    );
    const moved = mapRecord({ callingGt: GT.rhein, operation: 56, subscriberPlmn: '262-91', ingress: 'carrier-b', time: T0 + 31 * MIN });
    const [alert] = opened(run([...established, moved]), 'gt-spoofing');
    expect(alert?.data.evidence).toMatchObject({ previousIngress: 'carrier-a', newIngress: 'carrier-b', transactionsOnPrevious: 100 });
    expect(opened(run([...established.slice(1), moved]), 'gt-spoofing')).toEqual([]);
  });
});

describe('gt-leasing', () => {
  it('fires on a location query from a range marked leased, beside category-2', () => {
    // The range is leased out of 234-91's numbering, so for 234-91 itself it is own traffic; Rhein Funk sees abuse.
    const events = run([mapRecord({ callingGt: GT.leased, reporter: '262-91', operation: 70, subscriberPlmn: '262-91' })]);
    expect(patternsOf(events)).toEqual([`category-2@${GT.leased}`, `gt-leasing@${GT.leased}`]);
    expect(opened(events, 'gt-leasing')[0]?.data.source.leased).toBe(true);
  });

  it('fires when one source queries subscribers of five home countries within an hour, not four', () => {
    const homes = ['262-91', '208-91', '505-91', '302-910', '404-91'];
    const queries = homes.map((home, i) =>
      mapRecord({ callingGt: GT.lagune, operation: 70, subscriberPlmn: home, time: T0 + i * 10 * MIN }),
    );
    expect(opened(run(queries), 'gt-leasing').map((a) => a.subject)).toEqual([GT.lagune]);
    expect(opened(run(queries.slice(0, 4)), 'gt-leasing')).toEqual([]);
  });
});
