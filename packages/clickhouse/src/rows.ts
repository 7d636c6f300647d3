import {
  ALERT_STATUSES,
  ALERT_TYPES,
  type Alert,
  PATTERN_IDS,
  PROTOCOLS,
  SEVERITIES,
  TLP_LABELS,
} from '@gtwatch/schema';
import * as z from 'zod';

/**
 * Rows as they are inserted with `format: 'JSONEachRow'`: column names as in the DDL, DateTime as whole epoch
 * seconds (independent of the server's time zone), booleans as 0/1, counters as safe integers. Strict objects: a
 * misspelt column fails here instead of being skipped or failing the whole batch at the server.
 */

const uint32 = z.int().min(0).max(4_294_967_295);
/** UInt64 columns hold counts and versions; JSON numbers are exact up to 2^53. */
const uint64 = z.int().min(0);
const flag = z.union([z.literal(0), z.literal(1)]);
/** DateTime as whole seconds since the epoch, within the DateTime range. */
export const EpochSecondsSchema = z.int().min(0).max(4_294_967_295);
const minute = EpochSecondsSchema.refine((seconds) => seconds % 60 === 0, 'must be the start of a minute');
const category = z.int().min(0).max(3);

export const ENTITY_TYPES = ['gt', 'realm'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const TrafficMinuteRowSchema = z.strictObject({
  minute,
  reporter: z.string(),
  entity_type: z.enum(ENTITY_TYPES),
  entity: z.string().min(1),
  protocol: z.enum(PROTOCOLS),
  operation: uint32,
  transactions: uint64,
  errors: uint64,
  scanning_errors: uint64,
  subscribers: uint32,
  late: uint64,
  source_country: z.string(),
  source_plmn: z.string(),
  source_operator: z.string(),
  leased: flag,
  category,
  version: uint64,
});
export type TrafficMinuteRow = z.output<typeof TrafficMinuteRowSchema>;

export const EntityScoreRowSchema = z.strictObject({
  minute,
  entity_type: z.enum(ENTITY_TYPES),
  entity: z.string().min(1),
  pattern: z.enum(PATTERN_IDS),
  score: z.int().min(0).max(100),
  severity: z.enum(SEVERITIES),
  category,
  alert_id: z.string(),
  alert_open: flag,
  transactions: uint64,
  subscribers: uint32,
  source_country: z.string(),
  source_plmn: z.string(),
  source_operator: z.string(),
  leased: flag,
  version: uint64,
});
export type EntityScoreRow = z.output<typeof EntityScoreRowSchema>;

export const AlertRowSchema = z.strictObject({
  alert_id: z.string().min(1),
  event_id: z.string().min(1),
  event_source: z.string(),
  type: z.enum(ALERT_TYPES),
  status: z.enum(ALERT_STATUSES),
  pattern: z.enum(PATTERN_IDS),
  category: z.union([z.literal(1), z.literal(2), z.literal(3), z.null()]),
  severity: z.enum(SEVERITIES),
  score: z.int().min(0).max(100),
  tlp: z.enum(TLP_LABELS),
  subject: z.string(),
  source_type: z.enum(ENTITY_TYPES),
  source_id: z.string().min(1),
  source_country: z.string(),
  source_plmn: z.string(),
  source_operator: z.string(),
  source_leased: flag,
  victim_plmns: z.array(z.string()),
  victim_countries: z.array(z.string()),
  victim_subscribers: uint32,
  reporters: z.array(z.string()),
  jurisdictions: z.array(z.string()),
  cross_border: flag,
  first_seen: EpochSecondsSchema,
  last_seen: EpochSecondsSchema,
  event_time: EpochSecondsSchema,
  sequence: uint64,
  count: uint64,
  operations: z.string(),
  evidence: z.string(),
  explanation: z.string(),
  version: uint64,
});
export type AlertRow = z.output<typeof AlertRowSchema>;

// A withdrawal is an operator's last word on an alert, so it outranks a resolution in the same millisecond.
const STATUS_RANK: Readonly<Record<AlertRow['status'], number>> = { open: 0, update: 1, resolved: 2, withdrawn: 3 };

function epochMs(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new RangeError(`alert ${field} is not a date-time: ${JSON.stringify(text)}`);
  return ms;
}

/**
 * Orders an alert's events: event time in ms, then open < update < resolved < withdrawn for events in the same millisecond.
 * Fits a safe integer until the year 4000.
 */
export function alertSequence(timeMs: number, status: AlertRow['status']): number {
  return timeMs * 4 + STATUS_RANK[status];
}

export interface ToAlertRowOptions {
  /** ReplacingMergeTree version; defaults to the event's `sequence`. Replays of one event must give the same. */
  version?: number;
}

/** Flattens a validated alert event (`AlertSchema` from @gtwatch/schema) into an `alerts` row. */
export function toAlertRow(alert: Alert, options: ToAlertRowOptions = {}): AlertRow {
  const { data } = alert;
  const timeMs = epochMs(alert.time, 'time');
  const sequence = alertSequence(timeMs, data.status);
  return {
    alert_id: data.alertId,
    event_id: alert.id,
    event_source: alert.source,
    type: alert.type,
    status: data.status,
    pattern: data.pattern,
    category: data.category,
    severity: data.severity,
    score: data.score,
    tlp: alert.tlp,
    subject: alert.subject,
    source_type: data.source.type,
    source_id: data.source.id,
    source_country: data.source.country ?? '',
    source_plmn: data.source.plmn ?? '',
    source_operator: data.source.operator ?? '',
    source_leased: data.source.leased ? 1 : 0,
    victim_plmns: [...data.victims.plmns],
    victim_countries: [...data.victims.countries],
    victim_subscribers: data.victims.subscribers,
    reporters: [...data.reporters],
    jurisdictions: [...data.jurisdictions],
    cross_border: data.crossBorder ? 1 : 0,
    first_seen: Math.floor(epochMs(data.firstSeen, 'firstSeen') / 1000),
    last_seen: Math.floor(epochMs(data.lastSeen, 'lastSeen') / 1000),
    event_time: Math.floor(timeMs / 1000),
    sequence,
    count: data.count,
    operations: JSON.stringify(data.operations),
    evidence: JSON.stringify(data.evidence),
    explanation: data.explanation,
    version: options.version ?? sequence,
  };
}
