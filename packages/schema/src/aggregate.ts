import * as z from 'zod';
import { COUNTRY_PATTERN, PLMN_PATTERN } from './formats.js';
import { PROTOCOLS } from './summary.js';

/**
 * One minute of one source's traffic for one reporter and operation: the value of the aggregates topic
 * (`gtwatch.aggregates.v1`) and of `gtwatch score --aggregates`. Deterministic for a given input, so a replay
 * produces identical rows that collapse in ClickHouse.
 */
export const TrafficAggregateSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** Start of the minute, RFC 3339 UTC. */
  minute: z.iso.datetime({ offset: false }),
  reporter: z.string().regex(PLMN_PATTERN),
  entityType: z.enum(['gt', 'realm']),
  entity: z.string().min(1).max(255),
  protocol: z.enum(PROTOCOLS),
  operation: z.int().min(0).max(16_777_215),
  /** Transactions (each record counts `count`). */
  transactions: z.int().min(1),
  /** Transactions whose result was not `ok`. */
  errors: z.int().min(0),
  /** Transactions that failed with an error revealing unknown subscribers (detection-v1 scanning errors). */
  scanningErrors: z.int().min(0),
  /** Distinct subscriber pseudonyms in the minute (never the pseudonyms themselves). */
  subscribers: z.int().min(0),
  /** Transactions that arrived after the watermark and were counted in this, the first open minute. */
  late: z.int().min(0),
  sourceCountry: z.string().regex(COUNTRY_PATTERN).nullable(),
  sourcePlmn: z.string().regex(PLMN_PATTERN).nullable(),
  sourceOperator: z.string().nullable(),
  leased: z.boolean(),
  /** FS.11/FS.19 category of the operation, 0 when it has none. */
  category: z.int().min(0).max(3),
  /** The source is the reporter's own network. */
  own: z.boolean(),
});

export type TrafficAggregate = z.output<typeof TrafficAggregateSchema>;
