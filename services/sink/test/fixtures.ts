import { type Alert, AlertSchema, type TrafficAggregate } from '@gtwatch/schema';

/** 2026-11-30T10:15:00Z in epoch seconds. */
export const MINUTE_0 = 1_796_033_700;

/** A valid aggregate (`TrafficAggregateSchema`) for minute `MINUTE_0 + 60 × minute`, with overrides. */
export function aggregate(overrides: Partial<TrafficAggregate> & { minuteIndex?: number } = {}): TrafficAggregate {
  const { minuteIndex = 0, ...rest } = overrides;
  return {
    schemaVersion: 1,
    minute: new Date((MINUTE_0 + 60 * minuteIndex) * 1000).toISOString().replace('.000Z', 'Z'),
    reporter: '234-15',
    entityType: 'gt',
    entity: '2250760000123',
    protocol: 'MAP',
    operation: 71,
    transactions: 3,
    errors: 1,
    scanningErrors: 0,
    subscribers: 2,
    late: 0,
    sourceCountry: 'CI',
    sourcePlmn: '612-03',
    sourceOperator: 'Orange CI',
    leased: false,
    category: 1,
    own: false,
    ...rest,
  };
}

/** A valid alert-v1 event (checked with AlertSchema). */
export function alertEvent(overrides: { id?: string; alertId?: string; type?: Alert['type']; time?: string; tlp?: Alert['tlp'] } = {}): Alert {
  const type = overrides.type ?? 'org.gtwatch.alert.opened.v1';
  const status = type === 'org.gtwatch.alert.opened.v1' ? 'open' : type === 'org.gtwatch.alert.updated.v1' ? 'update' : 'resolved';
  return AlertSchema.parse({
    specversion: '1.0',
    id: overrides.id ?? 'evt-0001',
    source: 'urn:gtwatch:scorer:test-1',
    type,
    subject: '2250760000123',
    time: overrides.time ?? '2026-11-30T10:15:30.250Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:gtwatch:schema:alert:1',
    tlp: overrides.tlp ?? 'amber',
    data: {
      alertId: overrides.alertId ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      status,
      pattern: 'category-1',
      category: 1,
      severity: 'high',
      score: 80,
      source: { type: 'gt', id: '2250760000123', country: 'CI', plmn: null, operator: null, leased: false },
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: 3 },
      reporters: ['234-15'],
      jurisdictions: ['gb'],
      crossBorder: true,
      firstSeen: '2026-11-30T10:14:02.500Z',
      lastSeen: '2026-11-30T10:15:29Z',
      count: 3,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 3 }],
      evidence: { threshold: 1 },
      explanation: 'GT 2250760000123 (CI) sent 3 anyTimeInterrogation to subscribers of 234-15 (GB); category 1 operations must never arrive from another network.',
    },
  });
}

export const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
