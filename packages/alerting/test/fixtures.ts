import type { Alert, TlpLabel } from '@gtwatch/schema';

export interface AlertOverrides {
  id?: string;
  alertId?: string;
  tlp?: TlpLabel;
  status?: Alert['data']['status'];
  jurisdictions?: string[];
  severity?: Alert['data']['severity'];
  time?: string;
  subscribers?: number;
  source?: Partial<Alert['data']['source']>;
}

const TYPE_OF_STATUS = {
  open: 'org.gtwatch.alert.opened.v1',
  update: 'org.gtwatch.alert.updated.v1',
  resolved: 'org.gtwatch.alert.resolved.v1',
  withdrawn: 'org.gtwatch.alert.withdrawn.v1',
} as const;

/** A valid alert-v1 event (routing refuses invalid ones, so tests that expect records need valid input). */
export function alertEvent(overrides: AlertOverrides = {}): Alert {
  const status = overrides.status ?? 'open';
  const source = { type: 'gt' as const, id: '2250760000123', country: 'CI', plmn: null, operator: null, leased: false, ...overrides.source };
  return {
    specversion: '1.0',
    id: overrides.id ?? 'evt-0001',
    source: 'urn:gtwatch:scorer:scorer-0',
    type: TYPE_OF_STATUS[status],
    subject: source.id,
    time: overrides.time ?? '2026-11-30T10:16:00.000Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:gtwatch:schema:alert:1',
    tlp: overrides.tlp ?? 'amber',
    data: {
      alertId: overrides.alertId ?? 'a1b2c3d4e5f60718',
      status,
      pattern: 'category-1',
      category: 1,
      severity: overrides.severity ?? 'high',
      score: 87,
      source,
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: overrides.subscribers ?? 3 },
      reporters: ['234-15'],
      jurisdictions: overrides.jurisdictions ?? ['gb'],
      crossBorder: true,
      firstSeen: '2026-11-30T10:15:02.120Z',
      lastSeen: '2026-11-30T10:15:40.000Z',
      count: 3,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 3 }],
      evidence: { operations: 3, threshold: 1 },
      explanation:
        'GT 2250760000123 (CI) sent 3 anyTimeInterrogation to subscribers of 234-15 (GB) over the interconnect; category 1 operations must never arrive from another network.',
      ...(status === 'withdrawn' ? { withdrawal: { reason: 'roaming partner test traffic', by: 'noc' } } : {}),
    },
  };
}
