/**
 * A small, hand-made world for the access-control and query tests, with an independent model of who may see what
 * (written from the rules in tokens.ts, not from the SQL), so the tests compare the api against the rules.
 */
import { type AlertRow, alertSequence, type TrafficMinuteRow } from '@gtwatch/clickhouse';
import { TLP_LABELS, type TlpLabel } from '@gtwatch/schema';
import type { TestToken } from './support.js';

export const T0 = Date.parse('2026-11-29T00:00:00Z') / 1000;
/** The api's clock in these tests: the default range (the last 24 hours) is [T0, T0 + 1 day). */
export const NOW_MS = (T0 + 86_400) * 1000;

interface AlertSpec {
  alertId: string;
  pattern: AlertRow['pattern'];
  source: string;
  sourceType?: 'gt' | 'realm';
  country: string;
  reporters: string[];
  jurisdictions: string[];
  victimCountries: string[];
  victimPlmns: string[];
  /** [status, offset seconds from T0, score, tlp] per event, in order. */
  events: Array<[AlertRow['status'], number, number, TlpLabel]>;
  firstSeen: number;
  lastSeen: number;
}

export const ALERTS: readonly AlertSpec[] = [
  {
    alertId: 'a1cat1ci', pattern: 'category-1', source: '2250760000123', country: 'CI', reporters: ['234-15'], jurisdictions: ['gb'],
    victimCountries: ['GB'], victimPlmns: ['234-15'], firstSeen: 3_600, lastSeen: 10_800,
    events: [['open', 3_600, 70, 'amber'], ['update', 7_200, 85, 'amber'], ['resolved', 10_800, 85, 'amber']],
  },
  {
    alertId: 'a2scanus', pattern: 'scanning', source: '13125550001', country: 'US', reporters: ['310-410'], jurisdictions: ['us'],
    victimCountries: ['US'], victimPlmns: ['310-410'], firstSeen: 20_000, lastSeen: 21_000,
    events: [['open', 21_000, 60, 'green']],
  },
  {
    alertId: 'a3imsicn', pattern: 'imsi-harvesting', source: '8613800000001', country: 'CN', reporters: ['234-15', '310-410'],
    jurisdictions: ['gb', 'us'], victimCountries: ['GB', 'US'], victimPlmns: ['234-15', '310-410'], firstSeen: 30_000, lastSeen: 31_000,
    events: [['open', 31_000, 90, 'amber+strict']],
  },
  {
    alertId: 'a4leasered', pattern: 'gt-leasing', source: '2250760000999', country: 'CI', reporters: ['302-910'], jurisdictions: ['ca'],
    victimCountries: ['CA'], victimPlmns: ['302-910'], firstSeen: 40_000, lastSeen: 40_500,
    events: [['open', 40_500, 95, 'red']],
  },
  {
    alertId: 'a5velgb', pattern: 'velocity', source: '447700900123', country: 'GB', reporters: ['234-15'], jurisdictions: ['gb'],
    victimCountries: ['GB'], victimPlmns: ['234-15'], firstSeen: 50_000, lastSeen: 52_000,
    events: [['open', 50_500, 40, 'green'], ['update', 52_000, 55, 'amber']],
  },
  {
    alertId: 'a6oldcat2', pattern: 'category-2', source: '2250760000123', country: 'CI', reporters: ['234-15'], jurisdictions: ['gb'],
    victimCountries: ['GB'], victimPlmns: ['234-15'], firstSeen: -4 * 86_400, lastSeen: -3 * 86_400,
    events: [['open', -3 * 86_400, 65, 'amber']],
  },
  {
    alertId: 'a7diamrealm', pattern: 'gt-spoofing', source: 'diameter.example.org', sourceType: 'realm', country: 'DE', reporters: ['310-410'],
    jurisdictions: ['us'], victimCountries: ['US'], victimPlmns: ['310-410'], firstSeen: 60_000, lastSeen: 61_000,
    events: [['open', 61_000, 50, 'clear']],
  },
];

const SEVERITY_OF = (score: number): AlertRow['severity'] => (score >= 90 ? 'critical' : score >= 70 ? 'high' : score >= 50 ? 'medium' : 'low');

export function alertRows(): AlertRow[] {
  return ALERTS.flatMap((spec) =>
    spec.events.map(([status, offset, score, tlp], index) => {
      const sequence = alertSequence((T0 + offset) * 1000, status);
      return {
        alert_id: spec.alertId,
        event_id: `${spec.alertId}-e${index}`,
        event_source: 'urn:gtwatch:test:fixture',
        type: `org.gtwatch.alert.${status === 'open' ? 'opened' : status === 'update' ? 'updated' : 'resolved'}.v1`,
        status,
        pattern: spec.pattern,
        category: spec.pattern === 'category-1' ? 1 : spec.pattern === 'category-2' ? 2 : null,
        severity: SEVERITY_OF(score),
        score,
        tlp,
        subject: spec.source,
        source_type: spec.sourceType ?? 'gt',
        source_id: spec.source,
        source_country: spec.country,
        source_plmn: '',
        source_operator: spec.country === 'CI' ? 'Lagoon Telecom (fictional)' : '',
        source_leased: spec.pattern === 'gt-leasing' ? 1 : 0,
        victim_plmns: spec.victimPlmns,
        victim_countries: spec.victimCountries,
        victim_subscribers: 12 + index,
        reporters: spec.reporters,
        jurisdictions: spec.jurisdictions,
        cross_border: 1,
        first_seen: T0 + spec.firstSeen,
        last_seen: T0 + spec.lastSeen,
        event_time: T0 + offset,
        sequence,
        count: 10 * (index + 1),
        operations: JSON.stringify([{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 10 }]),
        evidence: JSON.stringify({ measured: score, threshold: 1, event: index }),
        explanation: `fixture ${spec.pattern} from ${spec.source} (${status})`,
        version: sequence,
      } as AlertRow;
    }),
  );
}

/** [entity, reporter, protocol, operation, minute offset (minutes from T0), transactions] */
const TRAFFIC: ReadonlyArray<[string, string, TrafficMinuteRow['protocol'], number, number, number]> = [
  ['2250760000123', '234-15', 'MAP', 71, 60, 5],
  ['2250760000123', '234-15', 'MAP', 71, 61, 5],
  ['2250760000123', '234-15', 'MAP', 71, 62, 5],
  ['2250760000123', '310-410', 'MAP', 71, 62, 2],
  ['13125550001', '310-410', 'MAP', 56, 340, 60],
  ['13125550001', '310-410', 'MAP', 56, 341, 40],
  ['8613800000001', '234-15', 'MAP', 56, 510, 40],
  ['8613800000001', '310-410', 'MAP', 56, 511, 30],
  ['447700900123', '234-15', 'MAP', 2, 840, 10],
  ['2250760000999', '302-910', 'MAP', 56, 675, 8],
  ['4915100000001', '234-15', 'MAP', 56, 100, 500],
  ['diameter.example.org', '310-410', 'DIAMETER', 318, 1_000, 20],
];

const COUNTRY: Record<string, string> = {
  '2250760000123': 'CI', '13125550001': 'US', '8613800000001': 'CN', '447700900123': 'GB', '2250760000999': 'CI',
  '4915100000001': 'DE', 'diameter.example.org': 'DE',
};

export function trafficRows(): TrafficMinuteRow[] {
  return TRAFFIC.map(([entity, reporter, protocol, operation, minuteOffset, transactions]) => ({
    minute: T0 + minuteOffset * 60,
    reporter,
    entity_type: protocol === 'DIAMETER' ? 'realm' : 'gt',
    entity,
    protocol,
    operation,
    transactions,
    errors: Math.floor(transactions / 5),
    scanning_errors: 0,
    subscribers: 3,
    late: 0,
    source_country: COUNTRY[entity] ?? '',
    source_plmn: '',
    source_operator: '',
    leased: 0,
    category: operation === 71 ? 1 : 0,
    version: 1,
  }));
}

// ------------------------------------------------------------------------------------------------ who sees what

export type Role = 'regulator' | 'operator' | 'analyst' | 'admin';
export interface Persona {
  label: string;
  token: TestToken;
  role: Role;
  jurisdiction?: string;
  reporter?: string;
  clearance: TlpLabel;
}

function persona(label: string, role: Role, clearance: TlpLabel, scope: { jurisdiction?: string; reporter?: string } = {}): Persona {
  const line: Record<string, string> = { name: label, role, clearance, ...scope };
  return { label, role, clearance, ...scope, token: { token: `tok-${label}-0123456789abcdef`, line } };
}

export const PERSONAS: readonly Persona[] = [
  persona('regulator-gb', 'regulator', 'amber', { jurisdiction: 'gb' }),
  persona('regulator-us-green', 'regulator', 'green', { jurisdiction: 'us' }),
  persona('operator-23415', 'operator', 'amber', { reporter: '234-15' }),
  persona('analyst', 'analyst', 'amber+strict'),
  persona('admin-red', 'admin', 'red'),
];

const rank = (tlp: TlpLabel) => TLP_LABELS.indexOf(tlp);
const latest = (spec: AlertSpec) => spec.events[spec.events.length - 1]!;

export function canSeeAlert(p: Persona, spec: AlertSpec): boolean {
  if (rank(latest(spec)[3]) > rank(p.clearance)) return false;
  if (p.role === 'regulator') return spec.jurisdictions.includes(p.jurisdiction!);
  if (p.role === 'operator') return spec.reporters.includes(p.reporter!);
  return true;
}

export function inDefaultRange(spec: AlertSpec): boolean {
  return spec.firstSeen < 86_400 && spec.lastSeen >= 0;
}

export function visibleAlertIds(p: Persona, inRange = true): string[] {
  return ALERTS.filter((spec) => canSeeAlert(p, spec) && (!inRange || inDefaultRange(spec))).map((spec) => spec.alertId).sort();
}

/** Sources a persona may look at: those of its visible alerts (any time), plus visible traffic for non-regulators. */
export function visibleSources(p: Persona): string[] {
  const fromAlerts = ALERTS.filter((spec) => canSeeAlert(p, spec)).map((spec) => spec.source);
  const fromTraffic = p.role === 'regulator' ? [] : TRAFFIC.filter(([, reporter]) => p.role !== 'operator' || reporter === p.reporter).map(([entity]) => entity);
  return [...new Set([...fromAlerts, ...fromTraffic])].sort();
}

/** Transactions per entity a persona may count in the default range. */
export function visibleTraffic(p: Persona): Map<string, number> {
  const regulatorSources = new Set(ALERTS.filter((spec) => canSeeAlert(p, spec)).map((spec) => spec.source));
  const totals = new Map<string, number>();
  for (const [entity, reporter, , , , transactions] of TRAFFIC) {
    if (p.role === 'operator' && reporter !== p.reporter) continue;
    if (p.role === 'regulator' && !regulatorSources.has(entity)) continue;
    totals.set(entity, (totals.get(entity) ?? 0) + transactions);
  }
  return totals;
}

export const ALL_SOURCES = [...new Set([...ALERTS.map((a) => a.source), ...TRAFFIC.map(([e]) => e)])].sort();
export { latest };
