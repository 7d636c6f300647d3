export { alertIdOf, type EmitterIdentity } from './alert-book.js';
export {
  DEFAULT_DETECTION_CONFIG,
  type DetectionConfig,
  type DetectionConfigInput,
  detectionConfigSchema,
  RULE_VERSION,
  resolveDetectionConfig,
} from './config.js';
export { Detector, type DetectorOptions, type DetectorStats } from './detector.js';
export { Enricher, type Observation } from './observation.js';
export { stateHorizonMs } from './state-horizon.js';
export { type VelocityHit, VelocityHitSchema } from './velocity-hit.js';
export { type Category, categoryOf, isLocationRevealing, isLocationUpdating, isScanningError, operationName } from './operations.js';
export { RecordScorer, type ScoreOutcome, type ScorerCounters } from './record-scorer.js';
export { mostRestrictive, scoreAlert, severityOf } from './scoring.js';
export { DistinctCounter } from './sketch/distinct.js';
export { murmur3 } from './sketch/hash.js';
export { HyperLogLog } from './sketch/hyperloglog.js';
