import type { ClickHouseClient } from '@clickhouse/client';
import {
  ALERT_STATUSES,
  type AlertStatus,
  PATTERN_IDS,
  SEVERITIES,
  TLP_LABELS,
  type TlpLabel,
} from '@gtwatch/schema';
import * as z from 'zod';
import { ENTITY_TYPES } from './rows.js';
import { identifier, join, list, render, type Sql, SqlValueError, sql } from './sql.js';

/** Runs a query built with `sql` and validates every row with `schema`. */
export async function queryRows<Schema extends z.ZodType>(
  client: ClickHouseClient,
  query: Sql,
  schema: Schema,
): Promise<Array<z.output<Schema>>> {
  const result = await client.query({ query: render(query), format: 'JSONEachRow' });
  return z.array(schema).parse(await result.json());
}

/** UInt64/Int64 arrive as JSON strings (output_format_json_quote_64bit_integers), smaller integers as numbers. */
const integer = z.union([z.number(), z.string().regex(/^\d+$/)]).transform(Number).pipe(z.int().min(0));
const epochSeconds = integer.transform((seconds) => new Date(seconds * 1000));
const flag = z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1);
const json = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

/**
 * The columns of one `latestAlertsQuery` row (the `alerts_latest` shape: `alert_id`, `cur_*`, `opened_at`, `events`,
 * `max_sequence`), validated and typed. Other readers of the same shape (the api's scoped queries) map it their way.
 */
export const LatestAlertColumnsSchema = z.object({
    alert_id: z.string(),
    cur_event_id: z.string(),
    cur_status: z.enum(ALERT_STATUSES),
    cur_pattern: z.enum(PATTERN_IDS),
    cur_category: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
    cur_severity: z.enum(SEVERITIES),
    cur_score: integer,
    cur_tlp: z.enum(TLP_LABELS),
    cur_source_type: z.enum(ENTITY_TYPES),
    cur_source_id: z.string(),
    cur_source_country: z.string(),
    cur_source_plmn: z.string(),
    cur_source_operator: z.string(),
    cur_source_leased: flag,
    cur_victim_plmns: z.array(z.string()),
    cur_victim_countries: z.array(z.string()),
    cur_victim_subscribers: integer,
    cur_reporters: z.array(z.string()),
    cur_jurisdictions: z.array(z.string()),
    cur_cross_border: flag,
    cur_first_seen: epochSeconds,
    cur_last_seen: epochSeconds,
    cur_event_time: epochSeconds,
    cur_count: integer,
    cur_operations: json,
    cur_evidence: json,
    cur_explanation: z.string(),
    opened_at: epochSeconds,
    events: integer,
    max_sequence: integer,
  });
export type LatestAlertColumns = z.output<typeof LatestAlertColumnsSchema>;

export const LatestAlertRowSchema = LatestAlertColumnsSchema.transform((row) => ({
    alertId: row.alert_id,
    eventId: row.cur_event_id,
    status: row.cur_status,
    pattern: row.cur_pattern,
    category: row.cur_category === 0 ? null : row.cur_category,
    severity: row.cur_severity,
    score: row.cur_score,
    tlp: row.cur_tlp,
    source: {
      type: row.cur_source_type,
      id: row.cur_source_id,
      country: row.cur_source_country || null,
      plmn: row.cur_source_plmn || null,
      operator: row.cur_source_operator || null,
      leased: row.cur_source_leased,
    },
    victims: {
      plmns: row.cur_victim_plmns,
      countries: row.cur_victim_countries,
      subscribers: row.cur_victim_subscribers,
    },
    reporters: row.cur_reporters,
    jurisdictions: row.cur_jurisdictions,
    crossBorder: row.cur_cross_border,
    firstSeen: row.cur_first_seen,
    lastSeen: row.cur_last_seen,
    /** Time of the latest event. */
    updatedAt: row.cur_event_time,
    /** Time of the earliest stored event. */
    openedAt: row.opened_at,
    count: row.cur_count,
    operations: row.cur_operations,
    evidence: row.cur_evidence,
    explanation: row.cur_explanation,
    /** Distinct events stored for this alert. */
    events: row.events,
    sequence: row.max_sequence,
  }));

/** An alert's current state: the columns of its latest event (highest `sequence`), plus event count and start. */
export type LatestAlert = z.output<typeof LatestAlertRowSchema>;

export interface LatestAlertsFilter {
  alertIds?: readonly string[];
  sourceId?: string;
  /** Only alerts whose latest status is one of these (e.g. ['open', 'update'] for "currently open"). */
  statuses?: readonly AlertStatus[];
  /** Only alerts whose latest event is at or after this time. */
  since?: Date;
  /** Only alerts whose latest TLP label is this or less restrictive. */
  maxTlp?: TlpLabel;
  /** Default 100, at most 10 000. Most recently updated first. */
  limit?: number;
}

/** The `alerts` columns that make up an alert's current state: read as `argMax(column, sequence)`. */
export const ALERT_STATE_COLUMNS = [
  'event_id',
  'status',
  'pattern',
  'severity',
  'score',
  'tlp',
  'source_type',
  'source_id',
  'source_country',
  'source_plmn',
  'source_operator',
  'source_leased',
  'victim_plmns',
  'victim_countries',
  'victim_subscribers',
  'reporters',
  'jurisdictions',
  'cross_border',
  'count',
  'operations',
  'evidence',
  'explanation',
] as const;

/**
 * The `alerts_latest` query: one row per alert with `argMax(column, sequence)` of each column. A replayed event is
 * an identical row, so duplicates not yet merged away do not change the answer and no `FINAL` is needed.
 * Aliases differ from column names: 18.16 resolves an alias that shadows a column inside other aggregates.
 * `category` is read as `ifNull(category, 0)`: aggregate functions skip NULL arguments, so `argMax` over a Nullable
 * column would return an older event's value rather than the latest NULL.
 */
export function latestAlertsQuery(database: string, filter: LatestAlertsFilter = {}): Sql {
  const limit = filter.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) throw new SqlValueError('limit must be 1–10000');
  const where: Sql[] = [];
  if (filter.alertIds) where.push(sql`alert_id IN ${list([...filter.alertIds])}`);
  if (filter.sourceId !== undefined) where.push(sql`source_id = ${filter.sourceId}`);
  const having: Sql[] = [];
  if (filter.statuses) having.push(sql`cur_status IN ${list([...filter.statuses])}`);
  if (filter.since) having.push(sql`cur_event_time >= ${epochSecondsOf(filter.since)}`);
  if (filter.maxTlp) having.push(sql`cur_tlp_rank <= ${TLP_LABELS.indexOf(filter.maxTlp) + 1}`);
  const current = join(
    ALERT_STATE_COLUMNS.map((column) => sql`argMax(${identifier(column)}, sequence) AS ${identifier(`cur_${column}`)}`),
    sql`,\n  `,
  );
  const clause = (keyword: Sql, parts: Sql[]): Sql => (parts.length === 0 ? sql`` : sql`\n${keyword} ${join(parts, sql` AND `)}`);
  return sql`SELECT
  alert_id,
  ${current},
  argMax(ifNull(category, 0), sequence) AS cur_category,
  toUnixTimestamp(argMax(first_seen, sequence)) AS cur_first_seen,
  toUnixTimestamp(argMax(last_seen, sequence)) AS cur_last_seen,
  toUnixTimestamp(argMax(event_time, sequence)) AS cur_event_time,
  toUInt8(argMax(tlp, sequence)) AS cur_tlp_rank,
  toUnixTimestamp(min(event_time)) AS opened_at,
  uniqExact(event_id) AS events,
  max(sequence) AS max_sequence
FROM ${identifier(database, 'alerts')}${clause(sql`WHERE`, where)}
GROUP BY alert_id${clause(sql`HAVING`, having)}
ORDER BY max_sequence DESC, alert_id
LIMIT ${limit}`;
}

function epochSecondsOf(date: Date): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new SqlValueError('since is an invalid Date');
  return Math.max(0, Math.floor(ms / 1000));
}

/** Current state of alerts, most recently updated first. */
export async function latestAlerts(
  client: ClickHouseClient,
  database: string,
  filter: LatestAlertsFilter = {},
): Promise<LatestAlert[]> {
  const rows = await queryRows(client, latestAlertsQuery(database, filter), LatestAlertRowSchema);
  return rows;
}
