import { describe, expect, test } from 'vitest';
import { type Alert, AlertSchema, PATTERN_CATEGORY, PATTERN_IDS } from '../src/alert.js';
import { exampleAlert } from './fixtures.js';

type Mutation = (alert: Alert) => unknown;

function issuesOf(mutate: Mutation) {
  const result = AlertSchema.safeParse(mutate(exampleAlert()));
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('AlertSchema', () => {
  test('accepts the example', () => {
    expect(AlertSchema.parse(exampleAlert())).toEqual(exampleAlert());
  });

  test('accepts each type with its status', () => {
    const pairs = [
      ['org.gtwatch.alert.updated.v1', 'update'],
      ['org.gtwatch.alert.resolved.v1', 'resolved'],
    ] as const;
    for (const [type, status] of pairs) {
      expect(issuesOf((a) => ({ ...a, type, data: { ...a.data, status } }))).toEqual([]);
    }
  });

  test('a withdrawn event says who withdrew the alert and why; no other event carries that', () => {
    const withdrawal = { reason: 'SMS hub onboarded late; traffic is contracted', by: 'analyst@234-91' };
    const withdrawn = (a: Alert) => ({ ...a, type: 'org.gtwatch.alert.withdrawn.v1', data: { ...a.data, status: 'withdrawn', withdrawal } });
    expect(issuesOf(withdrawn)).toEqual([]);
    expect(issuesOf((a) => ({ ...a, type: 'org.gtwatch.alert.withdrawn.v1', data: { ...a.data, status: 'withdrawn' } }))).toEqual(['data.withdrawal']);
    expect(issuesOf((a) => ({ ...a, data: { ...a.data, withdrawal } }))).toEqual(['data.withdrawal']);
    expect(issuesOf((a) => ({ ...withdrawn(a), data: { ...withdrawn(a).data, withdrawal: { reason: '', by: 'x' } } }))).toEqual([
      'data.withdrawal.reason',
    ]);
  });

  test('rejects a status that does not match the type', () => {
    expect(issuesOf((a) => ({ ...a, type: 'org.gtwatch.alert.resolved.v1' }))).toEqual(['data.status']);
    expect(issuesOf((a) => ({ ...a, data: { ...a.data, status: 'update' } }))).toEqual(['data.status']);
  });

  test('the category must be the pattern’s', () => {
    for (const pattern of PATTERN_IDS) {
      const category = PATTERN_CATEGORY[pattern];
      expect(issuesOf((a) => ({ ...a, data: { ...a.data, pattern, category } }))).toEqual([]);
    }
    expect(issuesOf((a) => ({ ...a, data: { ...a.data, pattern: 'scanning' } }))).toEqual(['data.category']);
  });

  test('the subject is the source entity, of the right kind', () => {
    expect(issuesOf((a) => ({ ...a, subject: '447700900001' }))).toEqual(['subject']);
    const realm = 'epc.mnc015.mcc234.3gppnetwork.org';
    const realmSource = { type: 'realm', id: realm, country: 'GB', plmn: '234-15', operator: 'Example', leased: false };
    expect(issuesOf((a) => ({ ...a, subject: realm, data: { ...a.data, source: realmSource } }))).toEqual([]);
    expect(issuesOf((a) => ({ ...a, data: { ...a.data, source: { ...a.data.source, type: 'realm' } } }))).toEqual([]);
    const badGt = { ...exampleAlert().data.source, id: 'not-digits' };
    expect(issuesOf((a) => ({ ...a, subject: 'not-digits', data: { ...a.data, source: badGt } }))).toEqual([
      'data.source.id',
    ]);
  });

  test('subscriber counts below 10 are exact only under TLP amber or stricter', () => {
    expect(issuesOf((a) => ({ ...a, tlp: 'green' }))).toEqual(['data.victims.subscribers']);
    expect(issuesOf((a) => ({ ...a, tlp: 'clear' }))).toEqual(['data.victims.subscribers']);
    const victims = (subscribers: number) => ({ plmns: ['234-15'], countries: ['GB'], subscribers });
    expect(issuesOf((a) => ({ ...a, tlp: 'green', data: { ...a.data, victims: victims(0) } }))).toEqual([]);
    expect(issuesOf((a) => ({ ...a, tlp: 'green', data: { ...a.data, victims: victims(10) } }))).toEqual([]);
    expect(issuesOf((a) => ({ ...a, tlp: 'amber+strict' }))).toEqual([]);
    expect(issuesOf((a) => ({ ...a, tlp: 'red' }))).toEqual([]);
  });

  test('lastSeen may not precede firstSeen, offsets considered', () => {
    expect(issuesOf((a) => ({ ...a, data: { ...a.data, lastSeen: '2026-11-30T10:15:02.119Z' } }))).toEqual([
      'data.lastSeen',
    ]);
    expect(issuesOf((a) => ({ ...a, data: { ...a.data, lastSeen: '2026-11-30T11:15:03+01:00' } }))).toEqual([]);
  });

  test('evidence never carries raw identifiers, pseudonyms or calledGt', () => {
    for (const key of ['IMSI', 'msisdn', 'subscriber', 'calledGt']) {
      const evidence = { samples: [{ [key]: 'x' }] };
      expect(issuesOf((a) => ({ ...a, data: { ...a.data, evidence } }))).toEqual(['data.evidence']);
    }
  });

  test.each<[string, Mutation]>([
    ['specversion', (a) => ({ ...a, specversion: '1.1' })],
    ['source', (a) => ({ ...a, source: 'gtwatch:scorer:0' })],
    ['source', (a) => ({ ...a, source: 'urn:gtwatch:scorer' })],
    ['type', (a) => ({ ...a, type: 'org.gtwatch.alert.opened.v2' })],
    ['time', (a) => ({ ...a, time: '2026-11-30T10:16:00+01:00' })],
    ['datacontenttype', (a) => ({ ...a, datacontenttype: 'text/plain' })],
    ['dataschema', (a) => ({ ...a, dataschema: 'urn:gtwatch:schema:alert:2' })],
    ['tlp', (a) => ({ ...a, tlp: 'white' })],
    ['data.pattern', (a) => ({ ...a, data: { ...a.data, pattern: 'sms-spam' } })],
    ['data.severity', (a) => ({ ...a, data: { ...a.data, severity: 'info' } })],
    ['data.score', (a) => ({ ...a, data: { ...a.data, score: 101 } })],
    ['data.score', (a) => ({ ...a, data: { ...a.data, score: 9.5 } })],
    ['data.source.country', (a) => ({ ...a, data: { ...a.data, source: { ...a.data.source, country: 'ci' } } })],
    ['data.reporters.0', (a) => ({ ...a, data: { ...a.data, reporters: ['23415'] } })],
    ['data.jurisdictions.0', (a) => ({ ...a, data: { ...a.data, jurisdictions: ['GB'] } })],
    ['data.firstSeen', (a) => ({ ...a, data: { ...a.data, firstSeen: '2026-11-30T10:15:02' } })],
    ['data', (a) => ({ ...a, data: { ...a.data, subscriber: 'hs256.k1.imsi.8c1f0a6b9e2d4c3b' } })],
    ['', (a) => ({ ...a, extension: 'x' })],
  ])('rejects a bad %s', (path, mutate) => {
    expect(issuesOf(mutate)).toContain(path);
  });
});
