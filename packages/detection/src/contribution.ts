import type { PatternId } from '@gtwatch/schema';
import type { Observation } from './observation.js';

export interface OperationCount {
  protocol: Observation['protocol'];
  operation: number;
  count: number;
}

/** Numbers (and short labels) a rule measured, with the thresholds it compared them against. */
export type Evidence = Record<string, string | number | boolean | null | Record<string, number | string>>;

/** New evidence for one (pattern, source) alert: what a rule saw since it last reported on that source. */
export interface Contribution {
  pattern: PatternId;
  /** The source's latest observation: identity and enrichment. */
  source: Observation;
  firstSeen: number;
  lastSeen: number;
  count: number;
  operations: readonly OperationCount[];
  victimPlmns: Iterable<string>;
  victimCountries: Iterable<string>;
  subscriberHashes: Iterable<number>;
  reporters: Iterable<string>;
  locationReturned: boolean;
  evidence: Evidence;
}

/** One record's evidence: most rules fire on a single transaction. */
export function recordContribution(
  pattern: PatternId,
  observation: Observation,
  evidence: Evidence,
  subscriberHash: number | null,
): Contribution {
  const { count, subscriberPlmn } = observation;
  return {
    pattern,
    source: observation,
    firstSeen: observation.time,
    lastSeen: observation.time,
    count,
    operations: [{ protocol: observation.protocol, operation: observation.operation, count }],
    victimPlmns: subscriberPlmn ? [subscriberPlmn] : [],
    victimCountries: observation.subscriberCountry ? [observation.subscriberCountry] : [],
    subscriberHashes: subscriberHash === null ? [] : [subscriberHash],
    reporters: [observation.reporter],
    locationReturned: observation.locationReturned,
    evidence,
  };
}
