export { countryOfGt, type GtCountry } from './e164.js';
export { EXAMPLE_REFERENCE_DIR } from './fixtures.js';
export { centroidOf, distanceKm, isKnownCountry } from './geo.js';
export { countryOfMcc } from './mcc.js';
export {
  createNumbering,
  type GtResolution,
  type Numbering,
  type NumberingOptions,
  type RealmResolution,
} from './numbering.js';
export {
  canonicalPlmn,
  countryOfPlmn,
  isPlmn,
  mccOf,
  type PlmnParts,
  parsePlmn,
  samePlmn,
} from './plmn.js';
export { normalizeRealm, plmnOfRealm } from './realm.js';
export {
  type AllowlistEntry,
  type GtRange,
  loadReferenceData,
  loadReferenceDataFromStrings,
  type RealmEntry,
  type ReferenceData,
  ReferenceDataError,
  type ReferenceFiles,
} from './reference.js';
