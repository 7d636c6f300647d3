import { createHash } from 'node:crypto';
import {
  ALERT_DATASCHEMA,
  type Alert,
  type AlertType,
  PATTERN_CATEGORY,
  type PatternId,
  type Severity,
  TLP_LABELS,
  type TlpLabel,
} from '@gtwatch/schema';
import { type DetectionConfig, RULE_VERSION } from './config.js';
import type { Contribution, Evidence, OperationCount } from './contribution.js';
import { explain } from './explanation.js';
import type { Observation } from './observation.js';
import { operationName } from './operations.js';
import { mostRestrictive, SEVERITY_RANK, scoreAlert, severityOf } from './scoring.js';
import { DistinctCounter } from './sketch/distinct.js';
import { isoTime, MINUTE_MS } from './time.js';

export interface EmitterIdentity {
  /** `score` offline, `scorer` in the streaming service. */
  service: string;
  instance: string;
}

interface AlertState {
  readonly alertId: string;
  readonly pattern: PatternId;
  source: Observation;
  readonly episodeStart: number;
  firstSeen: number;
  lastSeen: number;
  count: number;
  readonly operations: Map<string, OperationCount>;
  readonly victimPlmns: Set<string>;
  readonly victimCountries: Set<string>;
  readonly subscribers: DistinctCounter;
  readonly reporters: Set<string>;
  locationReturned: boolean;
  evidence: Evidence;
  sequence: number;
  lastEmittedAt: number;
  lastSeverity: Severity;
  /** Evidence arrived since the last event; an update is owed once the throttle allows. */
  dirty: boolean;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Stable for an alert's whole life, and across processes: pattern, rule version and source entity only. */
export function alertIdOf(pattern: PatternId, entityKey: string): string {
  return sha256Hex(`${pattern}|${RULE_VERSION}|${entityKey}`).slice(0, 32);
}

/** Deterministic event ids make replays idempotent: the same event replayed has the same id. */
function eventIdOf(alertId: string, episodeStart: number, sequence: number): string {
  const hex = sha256Hex(`${alertId}|${episodeStart}|${sequence}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/**
 * The alert lifecycle per (pattern, source): opened on first evidence, updated at most once per interval unless the
 * severity rises, resolved after a quiet period — all in event time, so replays give the same events.
 */
export class AlertBook {
  readonly #alerts = new Map<string, AlertState>();
  readonly #patternsBySource = new Map<string, Set<PatternId>>();
  readonly #config: DetectionConfig['alerts'];
  readonly #emitter: EmitterIdentity;
  readonly #countryOfPlmn: (plmn: string) => string | null;

  constructor(
    config: DetectionConfig['alerts'],
    emitter: EmitterIdentity,
    countryOfPlmn: (plmn: string) => string | null,
  ) {
    this.#config = config;
    this.#emitter = emitter;
    this.#countryOfPlmn = countryOfPlmn;
  }

  get openAlerts(): number {
    return this.#alerts.size;
  }

  /** Folds new evidence into its alert; returns the events it causes now. */
  contribute(contribution: Contribution, now: number): Alert[] {
    const key = `${contribution.pattern}|${contribution.source.entityKey}`;
    let state = this.#alerts.get(key);
    const opening = state === undefined;
    if (state === undefined) {
      state = this.#open(key, contribution);
    }
    this.#fold(state, contribution);
    if (opening) return [this.#emit(state, 'org.gtwatch.alert.opened.v1', now)];
    state.dirty = true;
    const severity = this.#severity(state);
    if (SEVERITY_RANK[severity] > SEVERITY_RANK[state.lastSeverity] || this.#throttleOpen(state, now)) {
      return [this.#emit(state, 'org.gtwatch.alert.updated.v1', now)];
    }
    return [];
  }

  /** Emits owed updates and resolves quiet alerts as event time advances. */
  tick(now: number): Alert[] {
    const events: Alert[] = [];
    const quietMs = this.#config.resolveAfterQuietMinutes * MINUTE_MS;
    for (const [key, state] of this.#alerts) {
      if (now - state.lastSeen >= quietMs) {
        events.push(this.#emit(state, 'org.gtwatch.alert.resolved.v1', now));
        this.#alerts.delete(key);
        this.#patternsBySource.get(state.source.entityKey)?.delete(state.pattern);
      } else if (state.dirty && this.#throttleOpen(state, now)) {
        events.push(this.#emit(state, 'org.gtwatch.alert.updated.v1', now));
      }
    }
    return events;
  }

  /** End of input: owed updates go out; alerts stay open because no quiet period has passed in event time. */
  flush(now: number): Alert[] {
    const events: Alert[] = [];
    for (const state of this.#alerts.values()) {
      if (state.dirty) events.push(this.#emit(state, 'org.gtwatch.alert.updated.v1', now));
    }
    return events;
  }


  #open(key: string, contribution: Contribution): AlertState {
    const state: AlertState = {
      alertId: alertIdOf(contribution.pattern, contribution.source.entityKey),
      pattern: contribution.pattern,
      source: contribution.source,
      episodeStart: contribution.firstSeen,
      firstSeen: contribution.firstSeen,
      lastSeen: contribution.lastSeen,
      count: 0,
      operations: new Map(),
      victimPlmns: new Set(),
      victimCountries: new Set(),
      subscribers: new DistinctCounter(),
      reporters: new Set(),
      locationReturned: false,
      evidence: contribution.evidence,
      sequence: 0,
      lastEmittedAt: Number.NEGATIVE_INFINITY,
      lastSeverity: 'low',
      dirty: false,
    };
    this.#alerts.set(key, state);
    const patterns = this.#patternsBySource.get(contribution.source.entityKey) ?? new Set<PatternId>();
    patterns.add(contribution.pattern);
    this.#patternsBySource.set(contribution.source.entityKey, patterns);
    return state;
  }

  #fold(state: AlertState, c: Contribution): void {
    state.source = c.source;
    state.firstSeen = Math.min(state.firstSeen, c.firstSeen);
    state.lastSeen = Math.max(state.lastSeen, c.lastSeen);
    state.count += c.count;
    for (const op of c.operations) {
      const key = `${op.protocol}:${op.operation}`;
      const known = state.operations.get(key);
      if (known) known.count += op.count;
      else state.operations.set(key, { ...op });
    }
    for (const plmn of c.victimPlmns) state.victimPlmns.add(plmn);
    for (const country of c.victimCountries) state.victimCountries.add(country);
    for (const hash of c.subscriberHashes) state.subscribers.add(hash);
    for (const reporter of c.reporters) state.reporters.add(reporter);
    state.locationReturned ||= c.locationReturned;
    state.evidence = c.evidence;
  }

  #throttleOpen(state: AlertState, now: number): boolean {
    return now - state.lastEmittedAt >= this.#config.minUpdateIntervalSeconds * 1000;
  }

  #score(state: AlertState): number {
    const others = (this.#patternsBySource.get(state.source.entityKey)?.size ?? 1) - 1;
    return scoreAlert({
      pattern: state.pattern,
      count: state.count,
      locationReturned: state.locationReturned,
      leased: state.source.source.leased,
      otherPatterns: others,
      victimCountries: state.victimCountries.size,
    });
  }

  #severity(state: AlertState): Severity {
    return severityOf(this.#score(state));
  }

  #tlp(pattern: PatternId, severity: Severity): TlpLabel {
    const { defaultTlp, tlpByPattern, tlpBySeverity } = this.#config;
    return mostRestrictive(defaultTlp, tlpByPattern[pattern], tlpBySeverity[severity]);
  }

  #jurisdictions(countries: Iterable<string | null>): string[] {
    const wanted = new Set(this.#config.jurisdictions);
    const found = new Set<string>();
    for (const country of countries) {
      if (country === null) continue;
      const code = this.#config.territories[country] ?? country.toLowerCase();
      if (wanted.has(code)) found.add(code);
    }
    return sorted(found);
  }

  #emit(state: AlertState, type: AlertType, now: number): Alert {
    const score = this.#score(state);
    const severity = severityOf(score);
    const tlp = this.#tlp(state.pattern, severity);
    const { source: observation } = state;
    const sourceCountry = observation.sourceCountry;
    const reporterCountries = sorted(state.reporters).map(this.#countryOfPlmn);
    const victimCountries = sorted(state.victimCountries);
    const operations = [...state.operations.values()].sort(
      (a, b) => a.protocol.localeCompare(b.protocol) || a.operation - b.operation,
    );
    const subscribers = state.subscribers.size;
    // Small counts can single people out; below amber they are withheld (alert-v1.md).
    const mayShowSmallCounts = TLP_LABELS.indexOf(tlp) >= TLP_LABELS.indexOf('amber');
    const status = type === 'org.gtwatch.alert.opened.v1' ? 'open' : type === 'org.gtwatch.alert.updated.v1' ? 'update' : 'resolved';
    const event: Alert = {
      specversion: '1.0',
      id: eventIdOf(state.alertId, state.episodeStart, state.sequence),
      source: `urn:gtwatch:${this.#emitter.service}:${this.#emitter.instance}`,
      type,
      subject: observation.entityId,
      time: isoTime(now),
      datacontenttype: 'application/json',
      dataschema: ALERT_DATASCHEMA,
      tlp,
      data: {
        alertId: state.alertId,
        status,
        pattern: state.pattern,
        category: PATTERN_CATEGORY[state.pattern],
        severity,
        score,
        source: {
          type: observation.entityType,
          id: observation.entityId,
          country: sourceCountry,
          plmn: observation.sourcePlmn,
          operator: observation.source.operator,
          leased: observation.source.leased,
        },
        victims: {
          plmns: sorted(state.victimPlmns),
          countries: victimCountries,
          subscribers: subscribers < 10 && !mayShowSmallCounts ? 0 : subscribers,
        },
        reporters: sorted(state.reporters),
        jurisdictions: this.#jurisdictions([sourceCountry, ...victimCountries, ...reporterCountries]),
        crossBorder:
          sourceCountry !== null &&
          [...victimCountries, ...reporterCountries].some((country) => country !== null && country !== sourceCountry),
        firstSeen: isoTime(state.firstSeen),
        lastSeen: isoTime(state.lastSeen),
        count: state.count,
        operations: operations.map((op) => ({ ...op, name: operationName(op.protocol, op.operation) })),
        evidence: state.evidence,
        explanation: explain({
          pattern: state.pattern,
          entityType: observation.entityType,
          entityId: observation.entityId,
          sourceCountry,
          count: state.count,
          operations,
          victimPlmns: sorted(state.victimPlmns),
          victimCountries,
          evidence: state.evidence,
        }),
      },
    };
    state.sequence += 1;
    state.lastEmittedAt = now;
    state.lastSeverity = severity;
    state.dirty = false;
    return event;
  }
}
