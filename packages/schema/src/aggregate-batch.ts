import * as z from 'zod';
import { TrafficAggregateSchema } from './aggregate.js';

/**
 * The value of an aggregates-topic record: many `TrafficAggregate` rows in one Kafka record.
 *
 * Scoring yields 0.3–0.7 minute rows per summary. Sent one row per Kafka record, the producer's per-record work (key
 * hashing, varint and CRC encoding, one object per message) took about a quarter of the scorer's CPU, and the sink
 * paid the same again to decode them. Rows of one scored batch travel together instead, in records of at most
 * `MAX_AGGREGATE_RECORD_BYTES`.
 *
 * Readers also accept a bare `TrafficAggregate` as a record's value (the format before batches), so scorers and sinks
 * can be upgraded in either order.
 */
export const TrafficAggregateBatchSchema = z.strictObject({
  schemaVersion: z.literal(1),
  aggregates: z.array(TrafficAggregateSchema).min(1),
});

export type TrafficAggregateBatch = z.output<typeof TrafficAggregateBatchSchema>;

/**
 * A record's value stays well under the broker's default `message.max.bytes` (1 MiB) and the producer's request
 * size, and small enough that a sink's batch can end between records without holding much back.
 */
export const MAX_AGGREGATE_RECORD_BYTES = 256 * 1024;

/**
 * The batch envelope alone, for readers: each row inside is then validated on its own, so one bad row is skipped
 * with its reason instead of taking its record's other rows down with it.
 */
export const AggregateEnvelopeSchema = z.strictObject({
  schemaVersion: z.literal(1),
  aggregates: z.array(z.unknown()).min(1),
});

const PREFIX = '{"schemaVersion":1,"aggregates":[';
const SUFFIX = ']}';

/**
 * Serialises rows into as few batch values as fit in `maxBytes` each (UTF-8), keeping their order. A single row
 * larger than `maxBytes` (impossible for valid rows, whose strings are bounded) still gets a value of its own.
 */
export function encodeAggregateBatches(rows: readonly z.input<typeof TrafficAggregateSchema>[], maxBytes = MAX_AGGREGATE_RECORD_BYTES): string[] {
  const values: string[] = [];
  let parts: string[] = [];
  let size = PREFIX.length + SUFFIX.length;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const bytes = Buffer.byteLength(json, 'utf8') + 1;
    if (parts.length > 0 && size + bytes > maxBytes) {
      values.push(PREFIX + parts.join(',') + SUFFIX);
      parts = [];
      size = PREFIX.length + SUFFIX.length;
    }
    parts.push(json);
    size += bytes;
  }
  if (parts.length > 0) values.push(PREFIX + parts.join(',') + SUFFIX);
  return values;
}

/**
 * The rows an aggregates-topic value carries, not yet validated: a batch's rows, or the value itself as the one row
 * when it is not a batch (an object without `aggregates`), to be judged by `TrafficAggregateSchema`. A value that
 * claims to be a batch but whose envelope is wrong is an error of its own.
 */
export function aggregateRowsOf(json: unknown): { ok: true; rows: unknown[] } | { ok: false; error: z.ZodError } {
  if (typeof json !== 'object' || json === null || !('aggregates' in json)) return { ok: true, rows: [json] };
  const envelope = AggregateEnvelopeSchema.safeParse(json);
  return envelope.success ? { ok: true, rows: envelope.data.aggregates } : { ok: false, error: envelope.error };
}
