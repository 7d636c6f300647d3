import { createNumbering, EXAMPLE_REFERENCE_DIR, loadReferenceData, type Numbering } from '@gtwatch/numbering';
import type { Alert, DiameterSummary, MapSummary, PatternId, SignallingSummary } from '@gtwatch/schema';
import { type DetectionConfigInput, Detector, resolveDetectionConfig } from '../src/index.js';

let numbering: Numbering | undefined;
export function exampleNumbering(): Numbering {
  numbering ??= createNumbering(loadReferenceData(EXAMPLE_REFERENCE_DIR));
  return numbering;
}

export const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
export const MIN = 60_000;

/** GTs and realms from the example reference data (packages/numbering/fixtures/reference). */
export const GT = {
  albion: '447700900123', // reporter 234-91's own network (GB)
  albionHlr: '4477009001555', // allowlisted for ISD/CL towards anyone
  leased: '4477009009123', // leased range inside GB
  rhein: '4915550123', // 262-91 DE
  rheinVlr: '4915550999',
  hexagone: '33639980123', // 208-91 FR, allowlisted for ATI towards 262-91 only
  lagune: '2250755512', // 612-91 CI
  lagune2: '2250755599',
  southernCross: '61491570123', // 505-91 AU
  maple: '1416555123', // 302-910 CA
} as const;

export const REPORTER = '234-91';

let sequence = 0;
export function mapRecord(overrides: Partial<MapSummary> = {}): SignallingSummary {
  sequence++;
  return {
    schemaVersion: 1,
    id: `r-${sequence}`,
    time: T0,
    reporter: REPORTER,
    protocol: 'MAP',
    direction: 'in',
    operation: 71,
    result: 'ok',
    callingGt: GT.lagune,
    calledGt: '447700900001',
    count: 1,
    ...overrides,
  } as MapSummary;
}

export function diameterRecord(overrides: Partial<DiameterSummary> = {}): SignallingSummary {
  sequence++;
  return {
    schemaVersion: 1,
    id: `d-${sequence}`,
    time: T0,
    reporter: REPORTER,
    protocol: 'DIAMETER',
    direction: 'in',
    operation: 316,
    application: 16777251,
    originRealm: 'epc.mnc091.mcc262.3gppnetwork.org',
    result: 'ok',
    count: 1,
    ...overrides,
  } as DiameterSummary;
}

export function subscriber(n: number, kind = 'imsi'): string {
  return `hs256.k1.${kind}.${n.toString(16).padStart(32, '0')}`;
}

export function detector(config: DetectionConfigInput = {}, aggregates = false): Detector {
  return new Detector({
    config: resolveDetectionConfig(config),
    numbering: exampleNumbering(),
    emitter: { service: 'score', instance: 'test' },
    aggregates,
  });
}

/** Runs records through a fresh detector, flushing at the end. */
export function run(records: readonly SignallingSummary[], config: DetectionConfigInput = {}): Alert[] {
  const d = detector(config);
  const events = records.flatMap((record) => d.process(record));
  return [...events, ...d.flush()];
}

export function opened(events: readonly Alert[], pattern?: PatternId): Alert[] {
  return events.filter((e) => e.type === 'org.gtwatch.alert.opened.v1' && (!pattern || e.data.pattern === pattern));
}

export function patternsOf(events: readonly Alert[]): string[] {
  return [...new Set(opened(events).map((e) => `${e.data.pattern}@${e.subject}`))].sort();
}

/** A later record from an unrelated quiet source, to move event time forward. */
export function tickAt(time: number): SignallingSummary {
  return mapRecord({ time, callingGt: GT.rhein, operation: 56, subscriberPlmn: '262-91' });
}
