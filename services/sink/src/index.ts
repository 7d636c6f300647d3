export { CommitTracker, type CommitPlan, type PlannedCommit, type SourcePosition } from './commits.js';
export {
  aggregateVersion,
  type Decoded,
  decodeAggregate,
  decodeAlert,
  INVALID_REASONS,
  type InvalidReason,
  type RecordDecoder,
  toTrafficMinuteRow,
} from './decode.js';
export { createSinkMetrics, METRIC_NAMES, type SinkMetrics } from './metrics.js';
export { HourRoller, type HourRollerOptions } from './hour-roller.js';
export { type RunSinkOptions, rollupIntervalFrom, runSink } from './run.js';
export { type SinkBatchOptions, type SinkConsumerOptions, type SinkHandle, type SinkOptions, startSink } from './sink.js';
