import { expect, test } from 'vitest';
import * as api from '../src/index.js';

test('the package exports the public API and nothing else', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'ALERT_DATASCHEMA',
      'AggregateEnvelopeSchema',
      'MAX_AGGREGATE_RECORD_BYTES',
      'TrafficAggregateBatchSchema',
      'aggregateRowsOf',
      'encodeAggregateBatches',
      'ALERT_STATUSES',
      'ALERT_STATUS_BY_TYPE',
      'ALERT_TYPES',
      'AlertDataSchema',
      'AlertSchema',
      'DIRECTIONS',
      'DeadLetterSchema',
      'DeadLetterSourceSchema',
      'DiameterSummarySchema',
      'FIREWALL_VERDICTS',
      'MAX_CLOCK_SKEW_MS',
      'MAX_ORIGINAL_CHARS',
      'MAX_RECORD_BYTES',
      'MIN_EVENT_TIME_MS',
      'COUNTRY_PATTERN',
      'PLMN_PATTERN',
      'MapSummarySchema',
      'PATTERN_CATEGORY',
      'PATTERN_IDS',
      'PROTOCOLS',
      'REJECT_REASONS',
      'RESULTS',
      'SEVERITIES',
      'SignallingSummarySchema',
      'TLP_LABELS',
      'TrafficAggregateSchema',
      'parseSummary',
      'reporterMismatch',
      'toDeadLetter',
    ].sort(),
  );
});
