import type { GtResolution, Numbering, RealmResolution } from '@gtwatch/numbering';
import type { SignallingSummary } from '@gtwatch/schema';
import { type Category, categoryOf, isLocationRevealing, isLocationUpdating, isScanningError } from './operations.js';

export type EntityType = 'gt' | 'realm';

/** A validated record with everything the patterns ask of it, computed once. */
export interface Observation {
  readonly record: SignallingSummary;
  readonly time: number;
  readonly entityType: EntityType;
  /** The calling GT digits or the Diameter origin realm (as received). */
  readonly entityId: string;
  /** `gt:<digits>` or `realm:<realm>`: GTs and realms never collide. */
  readonly entityKey: string;
  readonly source: GtResolution | RealmResolution;
  /** The source's PLMN from reference data (or the realm), else null. */
  readonly sourcePlmn: string | null;
  /** From the source PLMN, else the E.164 country of the GT. */
  readonly sourceCountry: string | null;
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

export function observe(record: SignallingSummary, numbering: Numbering): Observation {
  const isDiameter = record.protocol === 'DIAMETER';
  const entityId = isDiameter ? record.originRealm : record.callingGt;
  const source = isDiameter ? numbering.resolveRealm(record.originRealm) : numbering.resolveGt(record.callingGt);
  const sourceCountry = source.plmn ? (numbering.countryOfPlmn(source.plmn) ?? source.country) : source.country;
  const reporterKey = plmnKey(record.reporter);
  const own = source.plmn !== null && plmnKey(source.plmn) === reporterKey;
  const subscriberPlmn = record.subscriberPlmn;
  return {
    record,
    time: record.time,
    entityType: isDiameter ? 'realm' : 'gt',
    entityId,
    entityKey: isDiameter ? `realm:${entityId.toLowerCase()}` : `gt:${entityId}`,
    source,
    sourcePlmn: source.plmn,
    sourceCountry,
    own,
    interconnect: record.direction === 'in' && !own,
    category: categoryOf(record),
    locationRevealing: isLocationRevealing(record),
    locationUpdating: isLocationUpdating(record),
    scanningError: isScanningError(record),
    subscriberCountry: subscriberPlmn ? numbering.countryOfPlmn(subscriberPlmn) : null,
    ownSubscriber: subscriberPlmn !== undefined && plmnKey(subscriberPlmn) === reporterKey,
  };
}
