import type { Alert, DeadLetter } from '@gtwatch/schema';

/** A valid alert-v1 event (checked against AlertSchema in alerts.test.ts). */
export function sampleAlert(overrides: Partial<Pick<Alert, 'id' | 'tlp' | 'type'>> = {}): Alert {
  return {
    specversion: '1.0',
    id: overrides.id ?? 'evt-0001',
    source: 'urn:gtwatch:scorer:scorer-0',
    type: overrides.type ?? 'org.gtwatch.alert.opened.v1',
    subject: '2250760000123',
    time: '2026-11-30T10:16:00.000Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:gtwatch:schema:alert:1',
    tlp: overrides.tlp ?? 'amber',
    data: {
      alertId: 'a1b2c3d4e5f60718',
      status: overrides.type === 'org.gtwatch.alert.resolved.v1' ? 'resolved' : overrides.type === 'org.gtwatch.alert.updated.v1' ? 'update' : 'open',
      pattern: 'category-1',
      category: 1,
      severity: 'high',
      score: 87,
      source: { type: 'gt', id: '2250760000123', country: 'CI', plmn: null, operator: null, leased: false },
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: 3 },
      reporters: ['234-15'],
      jurisdictions: ['gb'],
      crossBorder: true,
      firstSeen: '2026-11-30T10:15:02.120Z',
      lastSeen: '2026-11-30T10:15:40.000Z',
      count: 3,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 3 }],
      evidence: { operations: 3, threshold: 1 },
      explanation:
        'GT 2250760000123 (CI) sent 3 anyTimeInterrogation to subscribers of 234-15 (GB) over the interconnect; category 1 operations must never arrive from another network.',
    },
  };
}

export function sampleDeadLetter(reporter: string | null = '234-15'): DeadLetter {
  return {
    schemaVersion: 1,
    reason: { code: 'subscriber-not-pseudonymous', message: 'subscriber is all digits', path: 'subscriber' },
    source: { kind: 'kafka', topic: 'gtwatch.signalling.v1', partition: 3, offset: '9007199254740993' },
    reporter,
    original: '{"subscriber":"23415*********"}',
    truncated: false,
  };
}
