import type { GtResolution, Numbering, RealmResolution } from '@gtwatch/numbering';
import type { Direction, Protocol, Result, SignallingSummary } from '@gtwatch/schema';
import { type Category, categoryOfOperation, revealsExistence, revealsLocation, updatesLocation } from './operations.js';

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

/**
 * A validated record with everything the patterns ask of it, computed once. One class, so every pattern reads one
 * object shape: the record fields the patterns need are copied here, because records come in dozens of shapes (their
 * optional fields) and a property read on them is a megamorphic lookup wherever it happens.
 */
export class Observation implements SourceProfile {
  // `declare`: each field is assigned once in the constructor, never first defined as undefined and then reassigned.
  declare readonly profile: SourceProfile;
  declare readonly record: SignallingSummary;
  declare readonly time: number;
  declare readonly protocol: Protocol;
  declare readonly direction: Direction;
  declare readonly operation: number;
  declare readonly count: number;
  declare readonly reporter: string;
  declare readonly subscriber: string | undefined;
  declare readonly subscriberPlmn: string | undefined;
  declare readonly ingress: string | undefined;
  /** The VLR number of a MAP/CAP record, else undefined. */
  declare readonly vlrGt: string | undefined;
  /** The Visited-PLMN-Id of a Diameter record, else undefined. */
  declare readonly visitedPlmn: string | undefined;
  declare readonly result: Result;
  declare readonly locationReturned: boolean;
  /** The reference data maps the source to the reporter's own network. */
  declare readonly own: boolean;
  /** Received from another network: `direction = in` and not own. */
  declare readonly interconnect: boolean;
  declare readonly category: Category;
  declare readonly locationRevealing: boolean;
  declare readonly locationUpdating: boolean;
  declare readonly scanningError: boolean;
  declare readonly subscriberCountry: string | null;
  /** The subscriber is the reporter's own (its `subscriberPlmn` is the reporter). */
  declare readonly ownSubscriber: boolean;

  constructor(
    profile: SourceProfile,
    record: SignallingSummary,
    fields: ObservedFields,
    own: boolean,
    subscriberCountry: string | null,
    ownSubscriber: boolean,
  ) {
    this.profile = profile;
    this.record = record;
    this.time = fields.time;
    this.protocol = fields.protocol;
    this.direction = fields.direction;
    this.operation = fields.operation;
    this.count = fields.count;
    this.reporter = fields.reporter;
    this.subscriber = fields.subscriber;
    this.subscriberPlmn = fields.subscriberPlmn;
    this.ingress = fields.ingress;
    this.vlrGt = fields.vlrGt;
    this.visitedPlmn = fields.visitedPlmn;
    this.result = fields.result;
    this.locationReturned = fields.locationReturned;
    this.own = own;
    this.interconnect = fields.direction === 'in' && !own;
    this.category = categoryOfOperation(fields.protocol, fields.operation, fields.application);
    this.locationRevealing = revealsLocation(fields.protocol, fields.operation, fields.application, fields.idrFlags);
    this.locationUpdating = updatesLocation(fields.protocol, fields.operation);
    this.scanningError = revealsExistence(fields.protocol, fields.result, fields.errorCode);
    this.subscriberCountry = subscriberCountry;
    this.ownSubscriber = ownSubscriber;
  }

  get entityType(): EntityType {
    return this.profile.entityType;
  }

  get entityId(): string {
    return this.profile.entityId;
  }

  get entityKey(): string {
    return this.profile.entityKey;
  }

  get source(): GtResolution | RealmResolution {
    return this.profile.source;
  }

  get sourcePlmn(): string | null {
    return this.profile.sourcePlmn;
  }

  get sourcePlmnKey(): string | null {
    return this.profile.sourcePlmnKey;
  }

  get sourceCountry(): string | null {
    return this.profile.sourceCountry;
  }
}

/** The record fields observations are made of, each read from the record once (see `readFields`). */
class ObservedFields {
  time = 0;
  protocol: Protocol = 'MAP';
  direction: Direction = 'in';
  operation = 0;
  application = 0;
  idrFlags: number | undefined = undefined;
  count = 1;
  reporter = '';
  subscriber: string | undefined = undefined;
  subscriberPlmn: string | undefined = undefined;
  ingress: string | undefined = undefined;
  vlrGt: string | undefined = undefined;
  visitedPlmn: string | undefined = undefined;
  result: Result = 'ok';
  errorCode: number | undefined = undefined;
  locationReturned = false;
  /** The calling GT, or the Diameter origin realm. */
  sourceId = '';
}

/** Fills `into` from the record; reused record after record, so reading allocates nothing. */
function readFields(record: SignallingSummary, into: ObservedFields): ObservedFields {
  into.time = record.time;
  into.protocol = record.protocol;
  into.direction = record.direction;
  into.operation = record.operation;
  into.count = record.count;
  into.reporter = record.reporter;
  into.subscriber = record.subscriber;
  into.subscriberPlmn = record.subscriberPlmn;
  into.ingress = record.ingress;
  into.result = record.result;
  into.errorCode = record.errorCode;
  into.locationReturned = record.locationReturned === true;
  if (record.protocol === 'DIAMETER') {
    into.application = record.application;
    into.idrFlags = record.idrFlags;
    into.visitedPlmn = record.visitedPlmn;
    into.vlrGt = undefined;
    into.sourceId = record.originRealm;
  } else {
    into.application = 0;
    into.idrFlags = undefined;
    into.visitedPlmn = undefined;
    into.vlrGt = record.vlrGt;
    into.sourceId = record.callingGt;
  }
  return into;
}

/** Bound of each enrichment cache; a full cache is emptied, which only costs recomputation. */
const CACHE_LIMIT = 262_144;

/** PLMN ids compare by MCC and the numeric MNC; this key makes that a string comparison. */
export function plmnKey(plmn: string | null | undefined): string | null {
  if (!plmn) return null;
  // Patterns compare PLMN keys per record; the few thousand PLMNs in use are keyed once, not once per record.
  const cached = PLMN_KEYS.get(plmn);
  if (cached !== undefined) return cached;
  const dash = plmn.indexOf('-');
  if (dash < 0) return null;
  const key = `${plmn.slice(0, dash)}-${Number(plmn.slice(dash + 1))}`;
  if (PLMN_KEYS.size >= CACHE_LIMIT) PLMN_KEYS.clear();
  PLMN_KEYS.set(plmn, key);
  return key;
}

const PLMN_KEYS = new Map<string, string>();

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
  readonly #fields = new ObservedFields();

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
    return this.#profileOf(record.protocol, record.protocol === 'DIAMETER' ? record.originRealm : record.callingGt);
  }

  #profileOf(protocol: Protocol, sourceId: string): SourceProfile {
    if (protocol === 'DIAMETER') {
      return this.#realms.get(sourceId) ?? remember(this.#realms, sourceId, this.#realmProfile(sourceId));
    }
    return this.#gts.get(sourceId) ?? remember(this.#gts, sourceId, this.#gtProfile(sourceId));
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
    const fields = readFields(record, this.#fields);
    const profile = this.#profileOf(fields.protocol, fields.sourceId);
    const reporter = fields.reporter;
    if (reporter !== this.#lastReporter) {
      this.#lastReporterKey = this.plmnKey(reporter);
      this.#lastReporter = reporter;
    }
    const reporterKey = this.#lastReporterKey;
    const own = profile.sourcePlmnKey !== null && profile.sourcePlmnKey === reporterKey;
    const subscriberPlmn = fields.subscriberPlmn;
    const home = subscriberPlmn ? this.#subscriberPlmn(subscriberPlmn) : null;
    // An empty subscriberPlmn is not a valid PLMN and never reaches here; `undefined` means none was given.
    const ownSubscriber = subscriberPlmn !== undefined && (home === null ? this.plmnKey(subscriberPlmn) : home.key) === reporterKey;
    return new Observation(profile, record, fields, own, home === null ? null : home.country, ownSubscriber);
  }
}
