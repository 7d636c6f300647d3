import { type Alert, AlertSchema } from '@gtwatch/schema';
import type { EntityScoreRow, TrafficMinuteRow } from '../src/index.js';

/** A valid alert-v1 event (checked against AlertSchema), with overrides for the lifecycle fields. */
export function alertEvent(
  overrides: { id?: string; type?: Alert['type']; time?: string; score?: number; severity?: Alert['data']['severity'] } = {},
): Alert {
  const type = overrides.type ?? 'org.gtwatch.alert.opened.v1';
  const status = type === 'org.gtwatch.alert.opened.v1' ? 'open' : type === 'org.gtwatch.alert.updated.v1' ? 'update' : 'resolved';
  return AlertSchema.parse({
    specversion: '1.0',
    id: overrides.id ?? '0b1c2d3e-0000-4000-8000-000000000001',
    source: 'urn:gtwatch:scorer:test-1',
    type,
    subject: '2250760000123',
    time: overrides.time ?? '2026-11-30T10:15:30.250Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:gtwatch:schema:alert:1',
    tlp: 'amber',
    data: {
      alertId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      status,
      pattern: 'category-1',
      category: 1,
      severity: overrides.severity ?? 'high',
      score: overrides.score ?? 80,
      source: { type: 'gt', id: '2250760000123', country: 'CI', plmn: '612-03', operator: "Côte d'Ivoire \"Mobile\"", leased: false },
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: 3 },
      reporters: ['234-15', '310-260'],
      jurisdictions: ['gb', 'us'],
      crossBorder: true,
      firstSeen: '2026-11-30T10:14:02.500Z',
      lastSeen: '2026-11-30T10:15:29+00:00',
      count: 3,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 3 }],
      evidence: { locationReturned: true, threshold: 1, note: 'back\\slash and \'quote\'' },
      explanation:
        "GT 2250760000123 (CI) sent 3 anyTimeInterrogation to subscribers of 234-15 (GB) over the interconnect; category 1 operations must never arrive from another network.",
    },
  });
}

export function trafficRow(overrides: Partial<TrafficMinuteRow> = {}): TrafficMinuteRow {
  return {
    minute: 1_796_033_700, // 2026-11-30 10:15:00 UTC
    reporter: '234-15',
    entity_type: 'gt',
    entity: '2250760000123',
    protocol: 'MAP',
    operation: 71,
    transactions: 3,
    errors: 1,
    scanning_errors: 0,
    subscribers: 2,
    late: 0,
    source_country: 'CI',
    source_plmn: '612-03',
    source_operator: 'Orange CI',
    leased: 0,
    category: 1,
    version: 1,
    ...overrides,
  };
}

export function scoreRow(overrides: Partial<EntityScoreRow> = {}): EntityScoreRow {
  return {
    minute: 1_796_033_700,
    entity_type: 'gt',
    entity: '2250760000123',
    pattern: 'category-1',
    score: 80,
    severity: 'high',
    category: 1,
    alert_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    alert_open: 1,
    transactions: 3,
    subscribers: 2,
    source_country: 'CI',
    source_plmn: '612-03',
    source_operator: 'Orange CI',
    leased: 0,
    version: 1,
    ...overrides,
  };
}
