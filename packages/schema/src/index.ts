// Public API of @gtwatch/schema. Internal helpers (redaction, messages, JSON Schema rendering) stay private.
export { type TrafficAggregate, TrafficAggregateSchema } from './aggregate.js';
export {
  AggregateEnvelopeSchema,
  aggregateRowsOf,
  encodeAggregateBatches,
  MAX_AGGREGATE_RECORD_BYTES,
  type TrafficAggregateBatch,
  TrafficAggregateBatchSchema,
} from './aggregate-batch.js';
export {
  ALERT_DATASCHEMA,
  ALERT_STATUS_BY_TYPE,
  ALERT_STATUSES,
  ALERT_TYPES,
  type Alert,
  type AlertCategory,
  type AlertData,
  AlertDataSchema,
  type AlertOperation,
  AlertSchema,
  type AlertSourceEntity,
  type AlertStatus,
  type AlertType,
  PATTERN_CATEGORY,
  PATTERN_IDS,
  type PatternId,
  SEVERITIES,
  type Severity,
  TLP_LABELS,
  type TlpLabel,
} from './alert.js';
export {
  type DeadLetter,
  DeadLetterSchema,
  type DeadLetterSource,
  DeadLetterSourceSchema,
  toDeadLetter,
} from './dead-letter.js';
export { COUNTRY_PATTERN, MAX_CLOCK_SKEW_MS, MAX_ORIGINAL_CHARS, MAX_RECORD_BYTES, MIN_EVENT_TIME_MS, PLMN_PATTERN } from './formats.js';
export { parseSummary, reporterMismatch } from './parse.js';
export { type ParseOptions, type ParseResult, REJECT_REASONS, type RejectReason, type Rejection } from './reasons.js';
export {
  DIRECTIONS,
  type DiameterSummary,
  DiameterSummarySchema,
  type Direction,
  FIREWALL_VERDICTS,
  type FirewallVerdict,
  type MapSummary,
  MapSummarySchema,
  PROTOCOLS,
  type Protocol,
  RESULTS,
  type Result,
  type SignallingSummary,
  type SignallingSummaryInput,
  SignallingSummarySchema,
} from './summary.js';
