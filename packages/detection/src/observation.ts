import type { GtResolution, Numbering, RealmResolution } from '@gtwatch/numbering';
import type { SignallingSummary } from '@gtwatch/schema';
import { type Category, categoryOf, isLocationRevealing, isLocationUpdating, isScanningError } from './operations.js';

export type EntityType = 'gt' | 'realm';

/** What the reference data says about one source entity; computed once per source, not per record. */
export interface SourceProfile {
  readonly entityType: EntityType;
  /** The calling GT digits, or the Diameter origin realm in lower case. */
  readonly entityId: string;
  /** `gt:<digits>` or `realm:<realm>`: GTs and realms never collide. */
  readonly entityKey: string;
  readonly source: GtResolution | RealmResolution;
  /** The source's PLMN from reference data (or the realm), else null. */
  readonly sourcePlmn: string | null;
  readonly sourcePlmnKey: string | null;
  /** From the source PLMN, else the E.164 country of the GT. */
  readonly sourceCountry: string | null;
}

/** A validated record with everything the patterns ask of it, computed once. */
export interface Observation extends SourceProfile {
  readonly record: SignallingSummary;
  readonly time: number;
  /** The reference data maps the source to the reporter's own network. */
  readonly own: boolean;
  /** Received from another network: `direction = in` and not own. */
  readonly interconnect: boolean;
  readonly category: Category;
  readonly locationRevealing: boolean;
  readonly locationUpdating: boolean;
  readonly scanningError: boolean;
  readonly subscriberCountry: string | null;
  /** The subscriber is the reporter's own (its `subscriberPlmn` is the reporter). */
  readonly ownSubscriber: boolean;
}

/** PLMN ids compare by MCC and the numeric MNC; this key makes that a string comparison. */
export function plmnKey(plmn: string | null | undefined): string | null {
  if (!plmn) return null;
  const dash = plmn.indexOf('-');
  if (dash < 0) return null;
  return `${plmn.slice(0, dash)}-${Number(plmn.slice(dash + 1))}`;
}

/** Bound of each enrichment cache; a full cache is emptied, which only costs recomputation. */
const CACHE_LIMIT = 262_144;

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * Turns records into observations. Everything that depends only on the source, a PLMN or a reporter is cached, so
 * the per-record work is a few map lookups and table reads.
 */
export class Enricher {
  readonly #numbering: Numbering;
  readonly #gts = new Map<string, SourceProfile>();
  readonly #realms = new Map<string, SourceProfile>();
  readonly #plmnKeys = new Map<string, string | null>();
  readonly #plmnCountries = new Map<string, string | null>();
  /** Both facts about a subscriber's home PLMN, so each record pays one lookup for them. */
  readonly #subscriberPlmns = new Map<string, { readonly key: string | null; readonly country: string | null }>();
  // Most consecutive records share their reporter (one operator's feed): one comparison instead of a map lookup.
  #lastReporter: string | undefined;
  #lastReporterKey: string | null = null;

  constructor(numbering: Numbering) {
    this.#numbering = numbering;
  }

  plmnKey(plmn: string): string | null {
    const cached = this.#plmnKeys.get(plmn);
    return cached !== undefined || this.#plmnKeys.has(plmn) ? (cached ?? null) : remember(this.#plmnKeys, plmn, plmnKey(plmn));
  }

  countryOfPlmn(plmn: string): string | null {
    const cached = this.#plmnCountries.get(plmn);
    if (cached !== undefined || this.#plmnCountries.has(plmn)) return cached ?? null;
    return remember(this.#plmnCountries, plmn, this.#numbering.countryOfPlmn(plmn));
  }

  profile(record: SignallingSummary): SourceProfile {
    if (record.protocol === 'DIAMETER') {
      return this.#realms.get(record.originRealm) ?? remember(this.#realms, record.originRealm, this.#realmProfile(record.originRealm));
    }
    return this.#gts.get(record.callingGt) ?? remember(this.#gts, record.callingGt, this.#gtProfile(record.callingGt));
  }

  #gtProfile(digits: string): SourceProfile {
    return this.#withSource('gt', digits, this.#numbering.resolveGt(digits));
  }

  #realmProfile(realm: string): SourceProfile {
    return this.#withSource('realm', realm.toLowerCase(), this.#numbering.resolveRealm(realm));
  }

  #withSource(entityType: EntityType, entityId: string, source: GtResolution | RealmResolution): SourceProfile {
    const sourcePlmn = source.plmn;
    return {
      entityType,
      entityId,
      entityKey: `${entityType}:${entityId}`,
      source,
      sourcePlmn,
      sourcePlmnKey: sourcePlmn ? this.plmnKey(sourcePlmn) : null,
      sourceCountry: sourcePlmn ? (this.countryOfPlmn(sourcePlmn) ?? source.country) : source.country,
    };
  }

  #subscriberPlmn(plmn: string): { readonly key: string | null; readonly country: string | null } {
    const cached = this.#subscriberPlmns.get(plmn);
    if (cached !== undefined) return cached;
    return remember(this.#subscriberPlmns, plmn, { key: this.plmnKey(plmn), country: this.countryOfPlmn(plmn) });
  }

  observe(record: SignallingSummary): Observation {
    const profile = this.profile(record);
    const reporter = record.reporter;
    if (reporter !== this.#lastReporter) {
      this.#lastReporterKey = this.plmnKey(reporter);
      this.#lastReporter = reporter;
    }
    const reporterKey = this.#lastReporterKey;
    const own = profile.sourcePlmnKey !== null && profile.sourcePlmnKey === reporterKey;
    const subscriberPlmn = record.subscriberPlmn;
    const home = subscriberPlmn ? this.#subscriberPlmn(subscriberPlmn) : null;
    return {
      entityType: profile.entityType,
      entityId: profile.entityId,
      entityKey: profile.entityKey,
      source: profile.source,
      sourcePlmn: profile.sourcePlmn,
      sourcePlmnKey: profile.sourcePlmnKey,
      sourceCountry: profile.sourceCountry,
      record,
      time: record.time,
      own,
      interconnect: record.direction === 'in' && !own,
      category: categoryOf(record),
      locationRevealing: isLocationRevealing(record),
      locationUpdating: isLocationUpdating(record),
      scanningError: isScanningError(record),
      subscriberCountry: home === null ? null : home.country,
      // An empty subscriberPlmn is not a valid PLMN and never reaches here; `undefined` means none was given.
      ownSubscriber: subscriberPlmn !== undefined && (home === null ? this.plmnKey(subscriberPlmn) : home.key) === reporterKey,
    };
  }
}
