/**
 * Kafka record → ClickHouse rows, for each topic the sink consumes. An aggregates record carries many rows (a
 * `TrafficAggregateBatch`, or one bare row as before batches); an alerts record one event. Every row is validated
 * twice: against the topic's contract (`TrafficAggregateSchema`, `AlertSchema`) and, after mapping, against the
 * table's row schema, so a row that would make the INSERT fail (a minute that is not the start of a minute, a count
 * beyond UInt32) is skipped here, alone, instead of blocking the whole batch in the writer. Aggregate rows first try
 * a hand-written route that checks both at once (`aggregate-row.ts`); zod decides whatever it does not accept.
 */
import {
  type AlertRow,
  AlertRowSchema,
  type TrafficMinuteRow,
  TrafficMinuteRowSchema,
  toAlertRow,
} from '@gtwatch/clickhouse';
import type { ConsumedRecord } from '@gtwatch/kafka';
import { AlertSchema, aggregateRowsOf, type TrafficAggregate, TrafficAggregateSchema } from '@gtwatch/schema';
import type * as z from 'zod';
import { fastTrafficMinuteRow } from './aggregate-row.js';

/**
 * Why a record was skipped (the `reason` label of `gtwatch_sink_records_invalid_total`):
 * - `empty`: no value (a tombstone);
 * - `json`: the value is not JSON;
 * - `schema`: valid JSON that breaks the topic's contract;
 * - `row`: valid by contract but not representable in the table (e.g. a minute with seconds);
 * - `refused`: valid but must not be stored (a TLP:RED alert, which alert-v1 never allows on a shared topic).
 */
export const INVALID_REASONS = ['empty', 'json', 'schema', 'row', 'refused'] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

export type Decoded<Row> = { ok: true; row: Row } | { ok: false; reason: InvalidReason; message: string };

/** Every row a record carries, each decoded or skipped with its reason (a skipped record is one failed entry). */
export type RecordDecoder<Row> = (record: Pick<ConsumedRecord, 'value' | 'timestamp'>) => Decoded<Row>[];

function issues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  const more = error.issues.length > 3 ? `; … ${error.issues.length - 3} more` : '';
  return shown.join('; ') + more;
}

function parseJson(value: Buffer | null): { ok: true; json: unknown } | { ok: false; reason: InvalidReason; message: string } {
  if (value === null || value.length === 0) return { ok: false, reason: 'empty', message: 'record has no value' };
  try {
    return { ok: true, json: JSON.parse(value.toString('utf8')) };
  } catch (error) {
    return { ok: false, reason: 'json', message: (error as Error).message };
  }
}

/**
 * The ReplacingMergeTree version of an aggregate row: the Kafka record's timestamp in ms. It is stored in the log,
 * so re-reading the same record (a replay from committed offsets, a second consumer group) gives the identical row,
 * which collapses; and if the producer emits the same minute again, the later emission is the one kept.
 */
export function aggregateVersion(timestamp: number): number {
  return Number.isSafeInteger(timestamp) && timestamp > 0 ? timestamp : 0;
}

/** `TrafficAggregate` (camelCase, ISO minute, nullable enrichment) → a `traffic_minute` row. */
export function toTrafficMinuteRow(aggregate: TrafficAggregate, version: number): TrafficMinuteRow {
  return {
    minute: Math.floor(Date.parse(aggregate.minute) / 1000),
    reporter: aggregate.reporter,
    entity_type: aggregate.entityType,
    entity: aggregate.entity,
    protocol: aggregate.protocol,
    operation: aggregate.operation,
    transactions: aggregate.transactions,
    errors: aggregate.errors,
    scanning_errors: aggregate.scanningErrors,
    subscribers: aggregate.subscribers,
    late: aggregate.late,
    source_country: aggregate.sourceCountry ?? '',
    source_plmn: aggregate.sourcePlmn ?? '',
    source_operator: aggregate.sourceOperator ?? '',
    leased: aggregate.leased ? 1 : 0,
    category: aggregate.category,
    version,
  };
}

function decodeAggregateRow(json: unknown, version: number): Decoded<TrafficMinuteRow> {
  const fast = fastTrafficMinuteRow(json, version);
  if (fast !== undefined) return { ok: true, row: fast };
  const aggregate = TrafficAggregateSchema.safeParse(json);
  if (!aggregate.success) return { ok: false, reason: 'schema', message: issues(aggregate.error) };
  const row = TrafficMinuteRowSchema.safeParse(toTrafficMinuteRow(aggregate.data, version));
  if (!row.success) return { ok: false, reason: 'row', message: issues(row.error) };
  return { ok: true, row: row.data };
}

/** All rows of a batch share the record's timestamp as their version: a batch is one emission. */
export const decodeAggregate: RecordDecoder<TrafficMinuteRow> = (record) => {
  const parsed = parseJson(record.value);
  if (!parsed.ok) return [parsed];
  const rows = aggregateRowsOf(parsed.json);
  if (!rows.ok) return [{ ok: false, reason: 'schema', message: `aggregate batch: ${issues(rows.error)}` }];
  const version = aggregateVersion(record.timestamp);
  return rows.rows.map((json) => decodeAggregateRow(json, version));
};

/** Alert events keep `toAlertRow`'s version (the event's sequence): deterministic, so replays collapse. */
export const decodeAlert: RecordDecoder<AlertRow> = (record) => [decodeAlertValue(record.value)];

function decodeAlertValue(value: Buffer | null): Decoded<AlertRow> {
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  const alert = AlertSchema.safeParse(parsed.json);
  if (!alert.success) return { ok: false, reason: 'schema', message: issues(alert.error) };
  if (alert.data.tlp === 'red') {
    return { ok: false, reason: 'refused', message: `alert event ${alert.data.id} is TLP:RED and is never stored` };
  }
  let mapped: AlertRow;
  try {
    mapped = toAlertRow(alert.data);
  } catch (error) {
    return { ok: false, reason: 'row', message: (error as Error).message };
  }
  const row = AlertRowSchema.safeParse(mapped);
  if (!row.success) return { ok: false, reason: 'row', message: issues(row.error) };
  return { ok: true, row: row.data };
}
