import { identifier, LatestAlertRowSchema, type Sql, sql } from '@gtwatch/clickhouse';
import { z } from 'zod';
import type { Principal } from '../tokens.js';
import { epoch, int, jsonText } from './columns.js';
import { latestStates, type StateFilter } from './scope.js';

/**
 * An alert's current state as the api answers it: `@gtwatch/clickhouse`'s `latestAlerts` row (strict enums,
 * `withdrawn` included since migration 4) without the latest event's id, with times as ISO strings for JSON.
 */
export const AlertStateRow = LatestAlertRowSchema.transform(({ eventId: _latestEventId, ...row }) => ({
  ...row,
  firstSeen: row.firstSeen.toISOString(),
  lastSeen: row.lastSeen.toISOString(),
  openedAt: row.openedAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
}));
export type AlertState = z.output<typeof AlertStateRow>;

export interface AlertPageQuery extends StateFilter {
  limit: number;
  /** Keyset position: rows strictly after (sequence, alertId) in (sequence DESC, alertId ASC) order. */
  after?: { s: number; a: string } | null;
}

/** Current states, most recently updated first; one row more than `limit` tells the caller there is a next page. */
export function alertPageQuery(database: string, principal: Principal, query: AlertPageQuery): Sql {
  const having = [...(query.having ?? [])];
  if (query.after) {
    having.push(sql`(max_sequence < ${query.after.s} OR (max_sequence = ${query.after.s} AND alert_id > ${query.after.a}))`);
  }
  const filter: StateFilter = { having };
  if (query.alertId !== undefined) filter.alertId = query.alertId;
  if (query.sourceId !== undefined) filter.sourceId = query.sourceId;
  return sql`SELECT * FROM (${latestStates(database, principal, filter)})
ORDER BY max_sequence DESC, alert_id
LIMIT ${query.limit + 1}`;
}

export const AlertEventRow = z
  .object({
    event_id: z.string(),
    type: z.string(),
    status: z.string(),
    severity: z.string(),
    score: int,
    tlp: z.string(),
    event_time: epoch,
    count: int,
    victim_subscribers: int,
    explanation: z.string(),
    evidence: jsonText,
    seq: int,
  })
  .transform((row) => ({
    eventId: row.event_id,
    type: row.type,
    status: row.status,
    severity: row.severity,
    score: row.score,
    tlp: row.tlp,
    time: row.event_time,
    count: row.count,
    victimSubscribers: row.victim_subscribers,
    explanation: row.explanation,
    evidence: row.evidence,
    sequence: row.seq,
  }));

/** Every stored event of one alert (its lifecycle), oldest first; replayed duplicates collapse by event id. */
export function alertEventsQuery(database: string, alertId: string, limit: number): Sql {
  return sql`SELECT
  event_id,
  any(type) AS type,
  toString(any(status)) AS status,
  toString(any(severity)) AS severity,
  any(score) AS score,
  toString(any(tlp)) AS tlp,
  toUnixTimestamp(any(event_time)) AS event_time,
  any(count) AS count,
  any(victim_subscribers) AS victim_subscribers,
  any(explanation) AS explanation,
  any(evidence) AS evidence,
  max(sequence) AS seq
FROM ${identifier(database, 'alerts')}
WHERE alert_id = ${alertId}
GROUP BY event_id
ORDER BY seq, event_id
LIMIT ${limit}`;
}
