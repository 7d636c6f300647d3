import { AlertSchema } from '@gtwatch/schema';
import { describe, expect, it } from 'vitest';
import { GT, mapRecord, diameterRecord, opened, patternsOf, REPORTER, run, subscriber, T0 } from './helpers.js';

describe('category-1', () => {
  it('fires on one interconnect anyTimeInterrogation and explains it', () => {
    const events = run([mapRecord({ subscriber: subscriber(1), subscriberPlmn: REPORTER })]);
    const [alert] = opened(events, 'category-1');
    expect(alert).toBeDefined();
    expect(AlertSchema.parse(alert)).toBeTruthy();
    expect(alert?.subject).toBe(GT.lagune);
    expect(alert?.data).toMatchObject({
      status: 'open',
      category: 1,
      source: { type: 'gt', id: GT.lagune, country: 'CI', plmn: '612-91', leased: false },
      victims: { plmns: [REPORTER], countries: ['GB'], subscribers: 1 },
      reporters: [REPORTER],
      jurisdictions: ['gb'],
      crossBorder: true,
      count: 1,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 1 }],
    });
    expect(alert?.data.explanation).toBe(
      `GT ${GT.lagune} (CI) sent 1 anyTimeInterrogation to subscribers of ${REPORTER} (GB) over the interconnect; category 1 operations must never arrive from another network.`,
    );
  });

  it('is critical when location was returned', () => {
    const [alert] = opened(run([mapRecord({ locationReturned: true })]), 'category-1');
    expect(alert?.data.severity).toBe('critical');
    const [quiet] = opened(run([mapRecord({ locationReturned: false })]), 'category-1');
    expect(quiet?.data.severity).toBe('high');
  });

  it('fires on Diameter Sh and SLg requests and on unknown applications from foreign realms', () => {
    const realm = 'epc.mnc091.mcc612.3gppnetwork.org';
    expect(patternsOf(run([diameterRecord({ originRealm: realm, application: 16777217, operation: 306 })]))).toEqual([`category-1@${realm}`]);
    expect(patternsOf(run([diameterRecord({ originRealm: realm, application: 16777255, operation: 8388620 })]))).toEqual([`category-1@${realm}`]);
    expect(patternsOf(run([diameterRecord({ originRealm: realm, application: 4, operation: 272 })]))).toEqual([`category-1@${realm}`]);
  });

  it('stays silent for own sources, allowlisted partners, outbound traffic and non-category-1 operations', () => {
    expect(run([mapRecord({ callingGt: GT.albion })])).toEqual([]);
    expect(run([mapRecord({ callingGt: GT.hexagone, reporter: '262-91' })])).toEqual([]);
    expect(run([mapRecord({ direction: 'out' })])).toEqual([]);
    expect(run([mapRecord({ operation: 56 })])).toEqual([]);
    // The Hexagone agreement covers ATI towards 262-91 only: towards 234-91 it is an attack.
    expect(patternsOf(run([mapRecord({ callingGt: GT.hexagone })]))).toEqual([`category-1@${GT.hexagone}`]);
  });
});

describe('category-2', () => {
  it('fires when a foreign network sends insertSubscriberData about the reporter’s own subscriber', () => {
    const events = run([mapRecord({ callingGt: GT.rhein, operation: 7, subscriberPlmn: REPORTER })]);
    const [alert] = opened(events, 'category-2');
    expect(alert?.data.evidence).toMatchObject({ ownSubscriber: true });
    expect(alert?.data.category).toBe(2);
  });

  it('fires when the source is not the inbound roamer’s home network', () => {
    const events = run([mapRecord({ callingGt: GT.lagune, operation: 4, subscriberPlmn: '262-91' })]);
    expect(patternsOf(events)).toEqual([`category-2@${GT.lagune}`]);
  });

  it('stays silent when a home network acts for its own roamer, or under a bilateral agreement', () => {
    expect(run([mapRecord({ callingGt: GT.rhein, operation: 7, subscriberPlmn: '262-91' })])).toEqual([]);
    expect(run([mapRecord({ callingGt: GT.rhein, operation: 3, subscriberPlmn: '262-091' })])).toEqual([]);
    expect(run([mapRecord({ callingGt: GT.albionHlr, reporter: '262-91', operation: 7, subscriberPlmn: '262-91' })])).toEqual([]);
    expect(run([diameterRecord({ operation: 319, subscriberPlmn: '262-91' })])).toEqual([]);
  });

  it('treats a Diameter IDR from a foreign realm about own subscribers as category 2', () => {
    const events = run([diameterRecord({ operation: 319, subscriberPlmn: REPORTER, time: T0 })]);
    expect(patternsOf(events)).toEqual(['category-2@epc.mnc091.mcc262.3gppnetwork.org']);
  });
});
