export { BAD_KINDS, BAD_REASONS, type BadReason } from './bad.js';
export {
  type CampaignPlan,
  NEAR_MISS_SPEED_KMH,
  type NearMiss,
} from './campaigns.js';
export * from './codes.js';
export { countryDistanceKm, hasCentroid } from './geo.js';
export { partitionKey } from './partition-key.js';
export {
  flightMs,
  TRAVEL_OVERHEAD_MS,
  TRAVEL_SPEED_KMH,
} from './population.js';
export {
  ALLOWLIST_FILE,
  GT_RANGES_FILE,
  REALMS_FILE,
  type ReferenceFileTexts,
  referenceFiles,
} from './reference.js';
export { writeReferenceFiles } from './reference-io.js';
export {
  type CampaignLabel,
  DEFAULT_DURATION_MINUTES,
  DEFAULT_START,
  generate,
  type Labels,
  MAX_DISORDER_MS,
  MIN_DURATION_MINUTES,
  type Simulation,
  type SimulateOptions,
  simulate,
} from './simulate.js';
export {
  type AllowlistRow,
  buildWorld,
  type GtRangeRow,
  type Hub,
  type Network,
  type Partner,
  type RealmRow,
  type Reporter,
  rangeOfGt,
  realmOf,
  type ScriptedSource,
  type ScriptedSourceKey,
  type TimeEncoding,
  type World,
} from './world.js';
