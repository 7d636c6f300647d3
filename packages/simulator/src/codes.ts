/**
 * Operation, application, error and SSN codes used by the simulator (shared/reference/domain.md §1), and the
 * categories of shared/spec/detection-v1.md, so that tests can check benign traffic against them.
 */

import { PATTERN_IDS, type PatternId } from '@gtwatch/schema';

/** MAP local operation codes (3GPP TS 29.002). */
export const MAP = {
  updateLocation: 2,
  cancelLocation: 3,
  provideRoamingNumber: 4,
  insertSubscriberData: 7,
  deleteSubscriberData: 8,
  sendRoutingInfo: 22,
  updateGprsLocation: 23,
  mtForwardSM: 44,
  sendRoutingInfoForSM: 45,
  moForwardSM: 46,
  sendAuthenticationInfo: 56,
  restoreData: 57,
  sendImsi: 58,
  processUnstructuredSSRequest: 59,
  readyForSM: 66,
  purgeMS: 67,
  provideSubscriberInfo: 70,
  anyTimeInterrogation: 71,
  provideSubscriberLocation: 83,
} as const;

/** CAP operation code of the first message of a CAMEL dialogue. */
export const CAP = { initialDP: 0 } as const;

/** Diameter command codes. */
export const DIAMETER = {
  updateLocation: 316,
  cancelLocation: 317,
  authenticationInformation: 318,
  insertSubscriberData: 319,
  deleteSubscriberData: 320,
  purgeUe: 321,
  notify: 323,
  userData: 306,
  provideLocation: 8388620,
} as const;

/** Diameter Application-Ids. */
export const APPLICATION = {
  s6a: 16777251,
  s13: 16777252,
  sh: 16777217,
  cx: 16777216,
  slg: 16777255,
  slh: 16777291,
} as const;

/** MAP error codes. */
export const MAP_ERROR = {
  unknownSubscriber: 1,
  unidentifiedSubscriber: 5,
  absentSubscriberSM: 6,
  roamingNotAllowed: 8,
  absentSubscriber: 27,
  subscriberBusyForMtSms: 31,
  smDeliveryFailure: 32,
  systemFailure: 34,
  dataMissing: 35,
  unexpectedDataValue: 36,
  atiNotAllowed: 49,
} as const;

/** Diameter Result-Code / Experimental-Result-Code values. */
export const DIAMETER_RESULT = {
  unableToDeliver: 3002,
  realmNotServed: 3003,
  authenticationDataUnavailable: 4181,
  userUnknown: 5001,
  roamingNotAllowed: 5004,
  unknownEpsSubscription: 5420,
} as const;

/** SCCP subsystem numbers. */
export const SSN = {
  hlr: 6,
  vlr: 7,
  msc: 8,
  gmlc: 145,
  cap: 146,
  gsmScf: 147,
  sgsn: 149,
} as const;

function codes(...parts: Array<number | readonly [number, number]>): ReadonlySet<number> {
  const set = new Set<number>();
  for (const part of parts) {
    if (typeof part === 'number') set.add(part);
    else for (let c = part[0]; c <= part[1]; c++) set.add(c);
  }
  return set;
}

/** detection-v1.md: MAP operations that must never arrive from the interconnect. */
export const MAP_CATEGORY_1 = codes(
  5,
  6,
  9,
  20,
  21,
  22,
  24,
  25,
  26,
  [28, 35],
  [39, 43],
  [50, 52],
  55,
  58,
  62,
  65,
  68,
  69,
  71,
  72,
  [76, 81],
  [84, 86],
);
/** detection-v1.md: MAP operations only from the inbound roamer's home network, never about own subscribers. */
export const MAP_CATEGORY_2 = codes(3, 4, 7, 8, 18, 37, 60, 61, 70, 83);
/** detection-v1.md: MAP operations that must be plausible for the subscriber's location. */
export const MAP_CATEGORY_3 = codes(2, [10, 14], 17, 19, 23, 44, 45, 46, 53, 56, 57, 59, 66, 67, 89);
/** detection-v1.md: S6a/S6d commands of category 2 and 3. */
export const DIAMETER_CATEGORY_2 = codes(317, 319, 320, 322);
export const DIAMETER_CATEGORY_3 = codes(316, 318, 321, 323);
/** detection-v1.md: location-revealing MAP operations. */
export const MAP_LOCATION_REVEALING = codes(22, 24, 58, 62, 70, 71, 83, 85);
/** detection-v1.md: location-updating operations (MAP) and Diameter ULR. */
export const MAP_LOCATION_UPDATING = codes(2, 23);
/** detection-v1.md: scanning errors. */
export const MAP_SCANNING_ERRORS = codes(1, 5, 6, 27, 35, 36, 49);
export const DIAMETER_SCANNING_ERRORS = codes(5001, 5420, 3002, 3003);

/** The eight pattern ids of detection-v1.md, as the alert contract defines them. */
export const PATTERNS = PATTERN_IDS;
export type Pattern = PatternId;
