import type { Alert } from '../src/alert.js';
import { parseSummary } from '../src/parse.js';
import type { ParseResult, Rejection } from '../src/reasons.js';
import type { SignallingSummary } from '../src/summary.js';

/** The processor clock used throughout: a fixed instant, so tests never depend on the wall clock. */
export const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0);

/** The example record of signalling-summary-v1.md, verbatim. */
export const CONTRACT_EXAMPLE = `{"schemaVersion":1,"id":"r1-000042","time":"2026-11-30T10:15:02.120Z","reporter":"234-15","protocol":"MAP",
 "direction":"in","operation":71,"result":"ok","callingGt":"2250760000123","calledGt":"447700900001",
 "callingSsn":147,"calledSsn":6,"ingress":"ipx-carrier-a","subscriber":"hs256.k1.imsi.8c1f0a6b9e2d4c3b",
 "subscriberPlmn":"234-15","locationReturned":true}`;

export function mapRecord(): Record<string, unknown> {
  return JSON.parse(CONTRACT_EXAMPLE) as Record<string, unknown>;
}

export function diameterRecord(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'r1-d-000007',
    time: 1_796_033_702_120,
    reporter: '262-01',
    protocol: 'DIAMETER',
    direction: 'in',
    operation: 316,
    result: 'ok',
    application: 16_777_251,
    originRealm: 'epc.mnc015.mcc234.3gppnetwork.org',
    originHost: 'mme01.epc.mnc015.mcc234.3gppnetwork.org',
    destinationRealm: 'epc.mnc001.mcc262.3gppnetwork.org',
    visitedPlmn: '234-15',
    subscriber: 'hs256.k1.imsi.0f1e2d3c4b5a6978',
    subscriberPlmn: '262-01',
    count: 3,
  };
}

export function parse(input: unknown, nowMs = NOW_MS): ParseResult {
  const text = typeof input === 'string' || input instanceof Uint8Array ? input : JSON.stringify(input);
  return parseSummary(text, { nowMs });
}

export function accepted(input: unknown, nowMs = NOW_MS): SignallingSummary {
  const result = parse(input, nowMs);
  if (!result.ok) throw new Error(`expected acceptance, got ${result.rejection.reason}: ${result.rejection.message}`);
  return result.record;
}

export function rejected(input: unknown, nowMs = NOW_MS): Rejection {
  const result = parse(input, nowMs);
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.record)}`);
  return result.rejection;
}

export function withField(base: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  return { ...base, [field]: value };
}

export function without(base: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...base };
  delete copy[field];
  return copy;
}

/** The alert the contract's explanation example describes. */
export function exampleAlert(): Alert {
  return {
    specversion: '1.0',
    id: '01JDQ5J1X6R8W2T0C4M9V7B3KA',
    source: 'urn:gtwatch:scorer:scorer-0',
    type: 'org.gtwatch.alert.opened.v1',
    subject: '2250760000123',
    time: '2026-11-30T10:16:00.000Z',
    datacontenttype: 'application/json',
    dataschema: 'urn:gtwatch:schema:alert:1',
    tlp: 'amber',
    data: {
      alertId: 'a1f3c9e2b7d4',
      status: 'open',
      pattern: 'category-1',
      category: 1,
      severity: 'critical',
      score: 95,
      source: { type: 'gt', id: '2250760000123', country: 'CI', plmn: null, operator: null, leased: false },
      victims: { plmns: ['234-15'], countries: ['GB'], subscribers: 3 },
      reporters: ['234-15'],
      jurisdictions: ['gb'],
      crossBorder: true,
      firstSeen: '2026-11-30T10:15:02.120Z',
      lastSeen: '2026-11-30T10:15:40.000Z',
      count: 3,
      operations: [{ protocol: 'MAP', operation: 71, name: 'anyTimeInterrogation', count: 3 }],
      evidence: { category1Operations: 3, threshold: 1, locationReturned: true },
      explanation:
        'GT 2250760000123 (CI) sent 3 anyTimeInterrogation to subscribers of 234-15 (GB) over the interconnect; category 1 operations must never arrive from another network.',
    },
  };
}
